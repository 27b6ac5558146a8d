import CofferAPI
import CofferCore
import CofferStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /projects/{p}/changes`: the project's change feed, read from the audit log (each project-level entry carries
/// the project's revision, assigned in the change's own transaction). Long poll with `since` and `wait`, or, with
/// `Accept: text/event-stream`, Server-Sent Events resuming after `Last-Event-ID`. Permission: SecretGroups `List`.
/// No values, ever: an entry holds names only.
struct ChangesController {
    let store: any SecretStore
    let changes: ChangeHub
    let keepChanges: Duration
    /// How long one write to a stream may wait for the client to read before the connection is closed.
    let slowConsumerTimeout: Duration

    static let defaultPerPage = 100
    static let maximumPerPage = 1_000
    static let maximumWait = 60
    /// A comment line at least this often keeps an idle stream (and the proxies on its way) open.
    static let keepAliveInterval = Duration.seconds(15)

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("projects/:projectId/changes", use: feed)
    }

    struct FeedQuery {
        var since: Int64?
        var wait: Int
        var perPage: Int

        init(_ parameters: Parameters, lastEventID: String?) throws {
            var details: [String: [String]] = [:]
            since = nil
            if let text = parameters["since"] {
                if let value = Int64(text), value >= 0 { since = value } else { details["since"] = ["must be a non-negative integer"] }
            }
            if let text = lastEventID {
                if let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 {
                    since = value
                } else {
                    details["Last-Event-ID"] = ["must be a non-negative integer (a revision)"]
                }
            }
            wait = 0
            if let text = parameters["wait"] {
                if let value = ChangesController.waitSeconds(text) { wait = value } else { details["wait"] = [ChangesController.waitRule] }
            }
            perPage = defaultPerPage
            if let text = parameters["per_page"] {
                if let value = PageRequest.perPage(text, maximum: maximumPerPage) {
                    perPage = value
                } else {
                    details["per_page"] = ["must be a positive integer"]
                }
            }
            guard details.isEmpty else { throw APIError(.badRequest, "Invalid query parameters", details: details) }
        }
    }

    @Sendable func feed(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsList, in: store)
        let streaming = request.headers[.accept]?.contains("text/event-stream") == true
        let lastEventID = streaming ? request.headers[Self.lastEventID] : nil
        let query = try FeedQuery(request.uri.queryParameters, lastEventID: lastEventID)
        if streaming { return try await stream(scope, after: query.since, on: context.channel, logger: context.logger) }
        guard let since = query.since else {
            return page(Page(revision: try await store.latestRevision(in: scope), changes: [], hasNextPage: false))
        }
        guard query.wait > 0 else { return page(try await read(scope, after: since, limit: query.perPage)) }
        // Subscribed before the first read, so a change committed between that read and the wait still wakes it.
        guard let subscription = changes.subscribe(scope) else { throw Self.tooManyWatchers }
        let deadline = ContinuousClock.now + .seconds(query.wait)
        return try await subscription.untilShutdown { stopping in
            while true {
                let found = try await read(scope, after: since, limit: query.perPage)
                let remaining = deadline - ContinuousClock.now
                // A server shutting down answers what there is now instead of waiting on.
                if !found.changes.isEmpty || remaining <= .zero || stopping.value { return page(found) }
                _ = await subscription.next(timeout: remaining)
            }
        }
    }

    struct Page {
        var revision: Int64
        var changes: [ChangeResource]
        var hasNextPage: Bool
    }

    /// Up to `limit` changes after revision `since`, and the latest revision (read after them, so never behind them);
    /// 410 when the first of them is older than the feed keeps.
    func read(_ scope: ProjectScope, after since: Int64, limit: Int) async throws -> Page {
        let entries = try await store.auditEntries(
            AuditQuery(teamId: scope.teamId, projectId: scope.projectId, afterRevision: since, limit: limit + 1)
        )
        let latest = try await store.latestRevision(in: scope)
        if let first = entries.first, first.at < Timestamp.now().earlier(by: keepChanges) {
            throw APIError(
                .gone,
                "Changes after revision \(since) are older than the feed keeps; read the current state, then watch from revision \(latest)",
                details: ["since": ["is older than the retained feed; the latest revision is \(latest)"]]
            )
        }
        let changes = entries.prefix(limit).compactMap(ChangeResource.init)
        return Page(revision: latest, changes: Array(changes), hasNextPage: entries.count > limit)
    }

    func page(_ page: Page) -> Response {
        JSONResponse.make(
            PagedEnvelope(
                data: ChangeFeed(revision: page.revision, changes: page.changes),
                pagination: Pagination(
                    hasNextPage: page.hasNextPage,
                    cursor: page.hasNextPage ? page.changes.last.map { String($0.revision) } : nil,
                    count: page.changes.count
                )
            )
        )
    }

    /// `wait` on the feed and on conditional reads: whole seconds, 0...60.
    static func waitSeconds(_ text: some StringProtocol) -> Int? {
        guard let value = Int(text), (0...maximumWait).contains(value) else { return nil }
        return value
    }

    static let waitRule = "must be an integer from 0 to \(maximumWait) (seconds)"

    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    static let tooManyWatchers = APIError(.serviceUnavailable, "Too many requests are watching changes on this server; retry shortly")

    /// Server-Sent Events from revision `since` (nil: from now): `id: <revision>`, `event: change`, `data: <change>`,
    /// and a comment at least every 15 s. Ends cleanly when the server shuts down. Nothing is buffered for a client that
    /// stops reading: a write waits while the connection's buffers are full, and one that waits longer than
    /// `slowConsumerTimeout` closes the connection (the client resumes with `Last-Event-ID` once it reads again).
    func stream(_ scope: ProjectScope, after since: Int64?, on channel: any Channel, logger: Logger) async throws -> Response {
        guard let subscription = changes.subscribe(scope) else { throw Self.tooManyWatchers }
        // The first read happens before answering, so a `since` older than the feed is a 410 rather than a broken stream.
        var first: [ChangeResource] = []
        if let since { first = try await read(scope, after: since, limit: Self.defaultPerPage).changes }
        let initial = first
        let initialCursor: Int64
        if let since { initialCursor = since } else { initialCursor = try await store.latestRevision(in: scope) }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        let timeout = slowConsumerTimeout
        let body = ResponseBody { writer in
            var cursor = initialCursor
            var pending = initial
            let stalled = StalledWriteGuard(timeout: timeout) {
                logger.notice("Closing a change stream whose client stopped reading", metadata: ["stalledFor": "\(timeout)"])
                channel.close(promise: nil)
            }
            try await subscription.untilShutdown { shuttingDown in
                // A comment first, so the client sees the stream open at once.
                try await stalled.run { try await writer.write(ByteBuffer(string: ": watching project revision \(cursor)\n\n")) }
                while !shuttingDown.value, !Task.isCancelled {
                    for change in pending {
                        try await stalled.run { try await writer.write(ByteBuffer(bytes: Self.event(change))) }
                        cursor = change.revision
                    }
                    if pending.count == Self.defaultPerPage {
                        pending = try await read(scope, after: cursor, limit: Self.defaultPerPage).changes
                        continue
                    }
                    let woken = await subscription.next(timeout: Self.keepAliveInterval)
                    if shuttingDown.value { break }
                    if woken {
                        pending = try await read(scope, after: cursor, limit: Self.defaultPerPage).changes
                    } else {
                        pending = []
                        try await stalled.run { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One event: its id is the revision, so a client resumes with `Last-Event-ID`.
    static func event(_ change: ChangeResource) -> [UInt8] {
        let json = JSONResponse.encode(change)
        return Array("id: \(change.revision)\nevent: change\ndata: ".utf8) + Array(buffer: json) + Array("\n\n".utf8)
    }
}
