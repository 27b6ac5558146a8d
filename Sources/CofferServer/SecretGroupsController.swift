import CofferAPI
import CofferCore
import CofferStore
import Foundation
import Hummingbird

/// The secret-group routes under `/v1/projects/{projectId}` and `/v1/teams/{teamId}/projects/{projectId}`.
struct SecretGroupsController {
    let store: any SecretStore
    let snapshots: ProjectSnapshots
    let bodyParser: RequestBodyParser
    let limits: ValidationLimits

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("projects/:projectId/secrets", use: list)
        group.post("projects/:projectId/secrets", use: create)
        group.put("projects/:projectId/secrets", use: put)
        group.get("projects/:projectId/secrets/:secretId", use: get)
        group.get("projects/:projectId/secrets/:secretId/details", use: details)
        group.patch("projects/:projectId/secrets/:secretId", use: patch)
        group.post("projects/:projectId/secrets/:secretId", use: update)
        group.delete("projects/:projectId/secrets/:secretId", use: delete)
    }

    /// Summaries ordered by id, `per_page` (default 50, at most 100) at a time, by `page` or `cursor`.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsList, in: store)
        let page = try PageRequest(request.uri.queryParameters)
        if let asOf = request.uri.queryParameters["asOf"] { return try await list(asOf: String(asOf), page: page, in: scope) }
        let snapshot = try await snapshots.snapshot(of: scope)
        let body = snapshot.response("list \(page.after ?? "") \(page.offset) \(page.perPage)") {
            let fetched = snapshot.groups(after: page.after, offset: page.offset, limit: page.perPage + 1)
            return Self.listPage(fetched.prefix(page.perPage).map(SecretGroupSummary.init), hasNextPage: fetched.count > page.perPage)
        }
        return JSONResponse.make(body: body)
    }

    /// The groups that existed at `asOf` (RFC 3339), as they were then, paged like the list.
    func list(asOf text: String, page: PageRequest, in scope: ProjectScope) async throws -> Response {
        guard let asOf = Timestamp(rfc3339: text) else {
            throw APIError(
                .badRequest, "Invalid query parameter 'asOf'", details: ["asOf": ["must be an RFC 3339 timestamp such as 2026-11-28T17:00:00.000Z"]]
            )
        }
        try await HistoryController.check(asOf: asOf, field: "asOf", in: scope, store: store)
        let groups = try await store.groups(in: scope, asOf: asOf)
        let remaining = groups.filter { group in page.after.map { group.id > $0 } ?? true }.dropFirst(page.after == nil ? page.offset : 0)
        let items = remaining.prefix(page.perPage).map { SecretGroupSummary(projectId: $0.projectId, definition: $0.definition) }
        return JSONResponse.make(body: Self.listPage(items, hasNextPage: remaining.count > page.perPage))
    }

    /// A page of the list, with the cursor of the next page if there is one.
    static func listPage(_ items: [SecretGroupSummary], hasNextPage: Bool) -> ByteBuffer {
        JSONResponse.encode(
            PagedEnvelope(
                data: SecretGroupList(secrets: items),
                pagination: Pagination(
                    hasNextPage: hasNextPage,
                    cursor: hasNextPage ? items.last.map { PageRequest.cursor(after: $0.id) } : nil,
                    count: items.count
                )
            )
        )
    }

    /// Create: 409 when the derived id exists.
    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsCreate, in: store)
        let definition = try SecretGroupDefinition(validating: try await bodyParser.json(from: request), limits: limits)
        try context.requireValues(of: definition.type)
        return Self.groupResponse(try await store.createGroup(definition, in: scope, at: .now()))
    }

    /// Create-or-update by the name's derived id: full replacement, `createdAt` kept, a no-op when nothing changed.
    @Sendable func put(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsCreate, in: store)
        let definition = try SecretGroupDefinition(validating: try await bodyParser.json(from: request), limits: limits)
        try context.requireValues(of: definition.type)
        let expectedVersion = try await versionGuardingType(of: definition.id, in: scope, request: request, context: context)
        let (group, _) = try await store.putGroup(definition, in: scope, at: .now(), expectedVersion: expectedVersion)
        return Self.groupResponse(group)
    }

    /// The group with `show=this|inherited|all` values (default `all`).
    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsRead, in: store)
        let show = try ShowFilter(request.uri.queryParameters["show"].map(String.init))
        let (snapshot, group) = try await existingGroup(context, in: scope)
        let withholding = try !context.requirePrincipal().canReadValues(of: group.definition.type)
        let body = snapshot.response("group \(group.id) \(show) \(withholding)") {
            let secrets: SecretValues
            switch show {
            case .this:
                secrets = group.definition.secrets
            case .inherited, .all:
                let linked = Self.linkedValues(of: group, in: snapshot)
                secrets =
                    show == .inherited
                    ? SecretValues(variables: linked.variables)
                    : SecretValues(
                        variables: linked.merged(under: group.definition.secrets.variables),
                        files: group.definition.secrets.files,
                        dockerSecretMounts: group.definition.secrets.dockerSecretMounts
                    )
            }
            return ByteBuffer(bytes: JSONWriter.envelope(SecretGroupResource(group, secrets: secrets), withholdingValues: withholding))
        }
        return JSONResponse.make(body: body, headers: Self.eTag(group))
    }

    /// The group plus each linked addon's contribution and a warning for every link that contributes nothing.
    @Sendable func details(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsRead, in: store)
        let (snapshot, group) = try await existingGroup(context, in: scope)
        let linked = Self.linkedValues(of: group, in: snapshot)
        let addonSecrets = linked.contributions.map {
            SecretGroupDetails.AddonSecret(
                id: $0.addon.id,
                name: $0.addon.definition.name,
                addonType: $0.addon.definition.type,
                version: $0.addon.definition.version,
                variables: $0.variables
            )
        }
        let details = SecretGroupDetails(group: SecretGroupResource(group), addonSecrets: addonSecrets, warnings: linked.warnings)
        return JSONResponse.make(
            DataEnvelope(data: details),
            headers: Self.eTag(group),
            withholdingValues: try !context.requirePrincipal().canReadValues(of: group.definition.type)
        )
    }

    /// Partial update; answers the full group.
    @Sendable func patch(_ request: Request, context: APIContext) async throws -> Response {
        Self.groupResponse(try await applyPatch(request, context: context, form: .patch))
    }

    /// Partial update without `tags`/`stageId`; answers `{"data": {}}` as the reference API does.
    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let group = try await applyPatch(request, context: context, form: .update)
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()), headers: Self.eTag(group))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .secretGroupsDelete, in: store)
        let id = try context.parameters.require("secretId")
        let expectedVersion = try await versionGuardingType(of: id, in: scope, request: request, context: context)
        guard try await store.deleteGroup(id: id, in: scope, expectedVersion: expectedVersion) else {
            throw APIError.secretNotFound(id)
        }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()))
    }

    func applyPatch(_ request: Request, context: APIContext, form: SecretGroupPatch.Form) async throws -> SecretGroup {
        let scope = try await context.existingProject(requiring: .secretGroupsUpdate, in: store)
        let id = try context.parameters.require("secretId")
        let patch = try SecretGroupPatch(validating: try await bodyParser.json(from: request), form: form, limits: limits)
        let principal = try context.requirePrincipal()
        let (group, _) = try await store.updateGroup(id: id, in: scope, at: .now(), expectedVersion: try request.expectedVersion()) {
            try Self.requireValues(of: $0, principal: principal)
            let next = patch.applied(to: $0)
            try Self.requireValues(of: next, principal: principal)
            return next
        }
        return group
    }

    /// A write to a group needs the value permission of its type, before and after the change: a token that cannot
    /// read a group's values cannot replace, retype or delete them either.
    static func requireValues(of definition: SecretGroupDefinition, principal: Principal) throws {
        guard principal.canReadValues(of: definition.type) else { throw APIError.forbidden(missing: Permission.valuesRead(of: definition.type)) }
    }

    /// The version a PUT or DELETE must find. A principal that cannot read every group type first checks the stored
    /// group's type, then writes only if the group is still at the version it checked (0: still absent), so a
    /// concurrent retype cannot slip past the check.
    func versionGuardingType(of id: String, in scope: ProjectScope, request: Request, context: APIContext) async throws -> Int? {
        let requested = try request.expectedVersion()
        let principal = try context.requirePrincipal()
        guard !principal.readsAllValues else { return requested }
        guard let existing = try await store.group(id: id, in: scope) else { return requested ?? 0 }
        try Self.requireValues(of: existing.definition, principal: principal)
        return requested ?? existing.version
    }

    /// The group from the project's cached snapshot, whose values (and addons) are already opened.
    func existingGroup(_ context: APIContext, in scope: ProjectScope) async throws -> (ProjectSnapshot, SecretGroup) {
        let id = try context.parameters.require("secretId")
        let snapshot = try await snapshots.snapshot(of: scope)
        guard let group = snapshot.group(id: id) else { throw APIError.secretNotFound(id) }
        return (snapshot, group)
    }

    /// What the group's links contribute, from the snapshot's opened addons.
    static func linkedValues(of group: SecretGroup, in snapshot: ProjectSnapshot) -> LinkedValues {
        LinkedValues(of: group.definition, addons: snapshot.resolver.addons, externalAddons: snapshot.resolver.externalAddons)
    }

    /// `{"data": group}` with the group's version as its `ETag`.
    static func groupResponse(_ group: SecretGroup) -> Response {
        JSONResponse.make(body: ByteBuffer(bytes: JSONWriter.envelope(SecretGroupResource(group))), headers: eTag(group))
    }

    static func eTag(_ group: SecretGroup) -> HTTPFields {
        [.eTag: "\"\(group.version)\""]
    }
}

/// `show` on `GET /secrets/{id}`.
enum ShowFilter: String {
    case this
    case inherited
    case all

    init(_ text: String?) throws {
        guard let text else {
            self = .all
            return
        }
        guard let filter = ShowFilter(rawValue: text) else {
            throw APIError(.badRequest, "Invalid query parameter 'show'", details: ["show": ["must be one of: this, inherited, all"]])
        }
        self = filter
    }
}
