import CofferAPI
import CofferClient
import CofferCore
import CofferRuntime
import CofferSQLite
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `client.watch.changes`: a project's change feed as an async sequence, against live servers on a real socket.
@Suite struct ChangeWatchTests {
    static let token = "coffer_change-watch-token-0123456789abcdefgh"

    /// A fresh SQLite store with team `default` and project `demo`.
    static func store() async throws -> SQLiteStore {
        let directory = NSTemporaryDirectory() + "coffer-change-watch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/coffer.sqlite", masterKey: .generate())
        _ = try await Startup.bootstrap(store, presetAdminToken: token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        return store
    }

    /// Runs `body` with a client of a live server on `store` (keeping the change feed for `keepChanges`).
    static func serve(
        _ store: SQLiteStore,
        keepChanges: Duration? = nil,
        _ body: @escaping @Sendable (APIClient) async throws -> Void
    ) async throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        if let keepChanges { configuration.keepChanges = keepChanges }
        try await buildApplication(configuration: configuration, store: store).test(.live) { testClient in
            let port = try #require(testClient.port)
            try await body(APIClient(configuration: ClientConfiguration(baseURL: "http://127.0.0.1:\(port)", token: token)))
        }
    }

    /// Runs `body` with a client of a server on `store` listening on `port` (not through HummingbirdTesting, which
    /// always picks a port of its own), then stops it by cancelling it: its connections drop as in a crash.
    static func serve(_ store: SQLiteStore, onPort port: Int, _ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        var configuration = ServerConfiguration()
        configuration.port = port
        let running = Shared(false)
        let app = buildApplication(configuration: configuration, store: store) { _, _ in running.value = true }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            try #require(try await eventually { running.value })
            try await body(APIClient(configuration: ClientConfiguration(baseURL: "http://127.0.0.1:\(port)", token: token)))
            group.cancelAll()
        }
    }

    static func put(_ client: APIClient, _ name: String, value: String = "1") async throws {
        _ = try await client.put.secret(
            projectId: "demo",
            data: JSONBody(#"{"name": "\#(name)", "secretType": "environment", "priority": 1, "secrets": {"variables": {"A": "\#(value)"}}}"#)
        )
    }

    /// Polls `condition` every 20 ms for up to `timeout`.
    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func changesComeOldestFirstOnceEachAcrossPagesAndThenAsTheyHappen() async throws {
        let store = try await Self.store()
        try await Self.serve(store) { client in
            for index in 0..<130 { try await Self.put(client, "Group \(String(format: "%03d", index))") }
            var seen: [ChangeResource] = []
            for try await change in client.watch.changes(projectId: "demo", since: 0) {
                seen.append(change)
                if change.resourceId == "group-129" { break }
            }
            let groups = seen.filter { $0.resourceType == .secret }
            #expect(groups.map(\.resourceId) == (0..<130).map { String(format: "group-%03d", $0) }, "more than one page of 100, in order")
            #expect(groups.allSatisfy { $0.action == .create && $0.version == 1 && $0.changedKeys == ["A"] })
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.revision < $1.revision }, "each once, revisions rising")

            // Picking up from the last one read: only what happens next.
            let last = try #require(seen.last?.revision)
            let later = Task {
                var iterator = client.watch.changes(projectId: "demo", since: last).makeAsyncIterator()
                return try await iterator.next()
            }
            try await Task.sleep(for: .milliseconds(200))
            try await Self.put(client, "Group 000", value: "2")
            let next = try #require(try await later.value)
            #expect(next.resourceId == "group-000" && next.action == .update && next.version == 2 && next.revision > last)
        }
    }

    @Test func withoutSinceTheWatchStartsAtTheCurrentRevision() async throws {
        let store = try await Self.store()
        try await Self.serve(store) { client in
            try await Self.put(client, "Before Watch")
            let started = Shared<Int64?>(nil)
            let first = Task {
                let watch = client.watch.changes(projectId: "demo") { event in
                    if case .started(let revision) = event { started.value = revision }
                }
                var iterator = watch.makeAsyncIterator()
                return try await iterator.next()
            }
            #expect(try await Self.eventually { started.value != nil })
            try await Self.put(client, "After Watch")
            let change = try #require(try await first.value)
            #expect(change.resourceId == "after-watch" && change.revision > (started.value ?? .max))
        }
    }

    @Test func aSinceOlderThanTheFeedKeepsIsThrownAs410() async throws {
        let store = try await Self.store()
        try await Self.serve(store, keepChanges: .zero) { client in
            try await Self.put(client, "Old Change")
            try await Task.sleep(for: .milliseconds(20))
            let error = await #expect(throws: APIClientError.self) {
                for try await _ in client.watch.changes(projectId: "demo", since: 0) {}
            }
            #expect(error?.status == 410)
            let unknown = await #expect(throws: APIClientError.self) {
                for try await _ in client.watch.changes(projectId: "no-such-project") {}
            }
            #expect(unknown?.status == 404, "another client error ends the watch too")
        }
    }

    @Test func cancellingTheConsumerEndsAWaitingWatchAtOnce() async throws {
        let store = try await Self.store()
        // Stopped by cancelling: a graceful stop would wait for the server's side of the poll to time out.
        try await Self.serve(store, onPort: try Self.freePort()) { client in
            let started = Shared(false)
            let consumer = Task {
                let watch = client.watch.changes(projectId: "demo") { if case .started = $0 { started.value = true } }
                var count = 0
                for try await _ in watch { count += 1 }
                return count
            }
            #expect(try await Self.eventually { started.value })
            try await Task.sleep(for: .milliseconds(100))  // inside its 30 s long poll by now
            let cancelled = ContinuousClock.now
            consumer.cancel()
            #expect(try await consumer.value == 0)
            // Without the cancellation reaching the request, the watch would end with the server's 30 s poll; the
            // bound leaves room for a loaded machine running the suites in parallel (2.6 s seen there against 2 s).
            #expect(ContinuousClock.now - cancelled < .seconds(10))
        }
    }

    /// The watch starts before any server listens, follows one, is cut off mid-poll when it stops, and carries on with
    /// the next one on the same port and store: every change once, in order, and word of the interruptions and the
    /// resumptions.
    @Test func aRefusedOrRestartedServerIsRetriedWithNothingLostOrRepeated() async throws {
        let store = try await Self.store()
        let port = try Self.freePort()
        let client = APIClient(configuration: ClientConfiguration(baseURL: "http://127.0.0.1:\(port)", token: Self.token))
        let seen = Shared<[ChangeResource]>([])
        let events = Shared<[String]>([])
        let consumer = Task {
            let watch = client.watch.changes(
                projectId: "demo",
                since: 0,
                backoff: RetryBackoff(initial: .milliseconds(50), maximum: .milliseconds(200))
            ) { event in
                switch event {
                case .started: events.update { $0.append("started") }
                case .interrupted: events.update { $0.append("interrupted") }
                case .resumed: events.update { $0.append("resumed") }
                }
            }
            for try await change in watch { seen.update { $0.append(change) } }
        }
        defer { consumer.cancel() }
        #expect(try await Self.eventually { events.value.filter { $0 == "interrupted" }.count >= 2 }, "refused while nothing listens")
        try await Self.serve(store, onPort: port) { client in
            try await Self.put(client, "First Server")
            #expect(try await Self.eventually { seen.value.contains { $0.resourceId == "first-server" } })
        }
        let interruptions = events.value.filter { $0 == "interrupted" }.count
        #expect(try await Self.eventually { events.value.filter { $0 == "interrupted" }.count > interruptions }, "the stop is noticed")
        try await Self.serve(store, onPort: port) { client in
            try await Self.put(client, "Second Server")
            #expect(try await Self.eventually { seen.value.contains { $0.resourceId == "second-server" } })
        }
        let revisions = seen.value.map(\.revision)
        #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count, "\(revisions)")
        #expect(seen.value.filter { $0.resourceType == .secret }.map(\.resourceId) == ["first-server", "second-server"])
        #expect(events.value.first == "interrupted" && events.value.contains("started") && events.value.filter { $0 == "resumed" }.count >= 2)
    }

    @Test func backoffDoublesToItsCapWithJitterBelowTheCeiling() {
        let backoff = RetryBackoff()
        #expect((1...7).map { backoff.ceiling(afterFailures: $0) } == [0.25, 0.5, 1, 2, 4, 5, 5].map { Duration.milliseconds(Int($0 * 1000)) })
        for failures in 1...10 {
            let delay = backoff.delay(afterFailures: failures)
            #expect(delay <= backoff.ceiling(afterFailures: failures) && delay >= backoff.ceiling(afterFailures: failures) / 2)
        }
    }

    /// A loopback port nothing listens on: one the system picked for a socket bound here and closed again.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
