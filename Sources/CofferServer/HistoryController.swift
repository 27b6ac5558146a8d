import CofferAPI
import CofferCore
import CofferStore
import Foundation
import Hummingbird

/// A group's history (`/secrets/{id}/versions`, `/diff`, `/rollback`, `/restore`) and a project put back to a moment
/// (`POST /projects/{p}/restore`), under both route forms. Values are withheld exactly as a plain GET withholds them.
struct HistoryController {
    let store: any SecretStore
    let snapshots: ProjectSnapshots
    let bodyParser: RequestBodyParser

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("projects/:projectId/secrets/:secretId/versions", use: versions)
        group.get("projects/:projectId/secrets/:secretId/versions/:version", use: version)
        group.get("projects/:projectId/secrets/:secretId/diff", use: diff)
        group.post("projects/:projectId/secrets/:secretId/rollback", use: rollback)
        group.post("projects/:projectId/secrets/:secretId/restore", use: restore)
        group.post("projects/:projectId/restore", use: restoreProject)
    }

    /// Newest first, `per_page` (default 50, at most 100) at a time, by `cursor`; no values.
    @Sendable func versions(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsRead, in: store)
        let id = try context.parameters.require("secretId")
        let paging = try PageRequest(request.uri.queryParameters)
        if request.uri.queryParameters["page"] != nil {
            throw APIError(.badRequest, "Invalid paging parameters", details: ["page": ["is not supported here; page with cursor"]])
        }
        var before: Int?
        if let cursor = paging.after {
            guard let version = Int(cursor) else {
                throw APIError(.badRequest, "Invalid paging parameters", details: ["cursor": ["is not a cursor this server issued"]])
            }
            before = version
        }
        guard let page = try await store.groupVersions(id: id, in: scope, before: before, limit: paging.perPage + 1) else {
            throw APIError.secretNotFound(id)
        }
        let versions = page.versions.prefix(paging.perPage)
        let hasNextPage = page.versions.count > paging.perPage
        return JSONResponse.make(
            PagedEnvelope(
                data: GroupVersionList(versions: versions.map { GroupVersionResource($0, current: $0.version == page.current) }),
                pagination: Pagination(
                    hasNextPage: hasNextPage,
                    cursor: hasNextPage ? versions.last.map { PageRequest.cursor(after: String($0.version)) } : nil,
                    count: versions.count
                )
            )
        )
    }

    /// The group as it was at version `n`, with `version`; 404 for a version not kept or one recording the delete.
    /// A version never changes, so its answer is kept with the project's snapshot (by what the caller may read),
    /// which every write to the project, and a retention sweep that dropped versions, replaces.
    @Sendable func version(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsRead, in: store)
        let id = try context.parameters.require("secretId")
        let number = try Self.versionNumber(context.parameters.require("version"), field: "version")
        let principal = try context.requirePrincipal()
        let headers: HTTPFields = [.eTag: "\"\(number)\""]
        let snapshot = try await snapshots.snapshot(of: scope)
        let key = "version \(id) \(number) \(principal.canReadValues(of: .secret)) \(principal.canReadValues(of: .config))"
        if let cached = snapshot.cachedResponse(key) { return JSONResponse.make(body: cached, headers: headers) }
        let (_, group) = try await content(of: id, version: number, in: scope)
        let resource = SecretGroupVersionResource(group: SecretGroupResource(group), version: number)
        let body = ByteBuffer(bytes: JSONWriter.envelope(resource, withholdingValues: !principal.canReadValues(of: group.definition.type)))
        snapshot.remember(body, as: key)
        return JSONResponse.make(body: body, headers: headers)
    }

    /// Key names added, removed and changed from version `from` to `to` (default: the newest, and the one before it);
    /// with `showValues=true` and the value permission of both versions, each with its values.
    @Sendable func diff(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsRead, in: store)
        let id = try context.parameters.require("secretId")
        let query = request.uri.queryParameters
        var details: [String: [String]] = [:]
        func number(_ name: String) -> Int? {
            guard let text = query[Substring(name)] else { return nil }
            guard let value = Int(text), value >= 0 else {
                details[name] = ["must be a non-negative integer"]
                return nil
            }
            return value
        }
        let requestedFrom = number("from")
        let requestedTo = number("to")
        var showValues = false
        if let text = query["showValues"] {
            switch text {
            case "true": showValues = true
            case "false": showValues = false
            default: details["showValues"] = ["must be true or false"]
            }
        }
        guard details.isEmpty else { throw APIError(.badRequest, "Invalid query parameters", details: details) }
        guard let newest = try await store.groupVersions(id: id, in: scope, before: nil, limit: 1)?.versions.first else {
            throw APIError.secretNotFound(id)
        }
        let to = requestedTo ?? newest.version
        let from = requestedFrom ?? max(0, to - 1)
        guard from <= to else {
            throw APIError(.badRequest, "Invalid query parameters", details: ["from": ["must not be greater than to (\(to))"]])
        }
        // Version 0 is the group before it existed; a version recording the delete has no content.
        let old = from == 0 ? nil : try await recorded(id, version: from, in: scope).group
        let new = try await recorded(id, version: to, in: scope).group
        if showValues {
            for definition in [old?.definition, new?.definition].compactMap({ $0 }) { try context.requireValues(of: definition.type) }
        }
        return JSONResponse.make(
            DataEnvelope(data: GroupDiffResource(from: from, to: to, old: old?.definition, new: new?.definition, showValues: showValues))
        )
    }

    /// The group becomes what it was at `version`, as a new version; a no-op when it has that content already.
    @Sendable func rollback(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsUpdate, in: store)
        let id = try context.parameters.require("secretId")
        let target = try RollbackTarget(validating: try await bodyParser.json(from: request))
        let principal = try context.requirePrincipal()
        let (group, _) = try await store.rollbackGroup(
            id: id, toVersion: target.version, in: scope, at: .now(), expectedVersion: try request.expectedVersion()
        ) { current, then in
            try SecretGroupsController.requireValues(of: current.definition, principal: principal)
            try SecretGroupsController.requireValues(of: then.definition, principal: principal)
        }
        return SecretGroupsController.groupResponse(group)
    }

    /// A deleted group comes back as its last version before the delete; 409 if a group with its id exists.
    @Sendable func restore(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsCreate, in: store)
        let id = try context.parameters.require("secretId")
        // What comes back is what the caller may create: check the type of the content it restores first.
        let principal = try context.requirePrincipal()
        if !principal.readsAllValues, let page = try await store.groupVersions(id: id, in: scope, before: nil, limit: 2) {
            for info in page.versions where info.action != .delete {
                if let group = try await store.groupVersion(id: id, version: info.version, in: scope)?.group {
                    try SecretGroupsController.requireValues(of: group.definition, principal: principal)
                }
                break
            }
        }
        let group = try await store.restoreGroup(id: id, in: scope, at: .now())
        return SecretGroupsController.groupResponse(group)
    }

    /// Every group of the project back as it was at `asOf`, in one transaction; with `dryRun`, only the plan.
    @Sendable func restoreProject(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsCreate, in: store)
        // It creates, changes and deletes groups of either type.
        for permission in [Permission.secretGroupsUpdate, .secretGroupsDelete, .secretValuesRead, .configValuesRead] {
            try context.require(permission)
        }
        let target = try ProjectRestoreTarget(validating: try await bodyParser.json(from: request))
        try await Self.check(asOf: target.asOf, field: "asOf", in: scope, store: store)
        let plan = try await store.restoreProject(scope, asOf: target.asOf, at: .now(), dryRun: target.dryRun)
        return JSONResponse.make(DataEnvelope(data: ProjectRestoreResource(plan)))
    }

    /// A moment a project can be seen at: not in the future, not before the project was created.
    static func check(asOf: Timestamp, field: String, in scope: ProjectScope, store: any ProjectRepository) async throws {
        if asOf > .now() {
            throw APIError(.badRequest, "'\(field)' is in the future", details: [field: ["must not be in the future"]])
        }
        guard let project = try await store.project(scope) else { throw APIError.projectNotFound(scope.projectId) }
        if asOf < project.createdAt {
            throw APIError(
                .badRequest, "'\(field)' is before project '\(scope.projectId)' was created",
                details: [field: ["must not be before the project was created (\(project.createdAt.rfc3339))"]]
            )
        }
    }

    /// A version number from the path: a positive integer, else 400 naming it.
    static func versionNumber(_ text: String, field: String) throws -> Int {
        guard let number = Int(text), number >= 1 else {
            throw APIError(.badRequest, "Invalid version '\(text)'", details: [field: ["must be a positive integer"]])
        }
        return number
    }

    /// The version, 404 naming it if it is not kept.
    private func recorded(_ id: String, version: Int, in scope: ProjectScope) async throws -> GroupVersion {
        guard let recorded = try await store.groupVersion(id: id, version: version, in: scope) else {
            throw APIError(.notFound, "Version \(version) of secret '\(id)' not found")
        }
        return recorded
    }

    /// The version and the group it holds; 404 saying so for the version that records the delete.
    private func content(of id: String, version: Int, in scope: ProjectScope) async throws -> (GroupVersion, SecretGroup) {
        let recorded = try await recorded(id, version: version, in: scope)
        guard let group = recorded.group else {
            throw APIError(.notFound, "Version \(version) of secret '\(id)' records its deletion and has no content")
        }
        return (recorded, group)
    }
}
