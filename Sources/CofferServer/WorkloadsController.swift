import CofferAPI
import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import Hummingbird

/// Services or jobs: `POST|GET /projects/{p}/services`, `GET|PATCH|DELETE /projects/{p}/services/{id}`, and their
/// effective configuration: `runtime-environment` and `build-arguments` (GET, POST, `details`). The same for `/jobs`.
struct WorkloadsController {
    let store: any SecretStore
    let snapshots: ProjectSnapshots
    let bodyParser: RequestBodyParser
    let limits: ValidationLimits
    let kind: WorkloadKind
    /// Wakes a conditional read waiting for its answer to change.
    let changes: ChangeHub

    var collection: String { kind == .service ? "services" : "jobs" }
    var readPermission: Permission { kind == .service ? .servicesRead : .jobsRead }
    var updatePermission: Permission { kind == .service ? .servicesUpdate : .jobsUpdate }

    func addRoutes(to group: RouterGroup<APIContext>) {
        let item = "projects/:projectId/\(collection)/:workloadId"
        group.post("projects/:projectId/\(collection)", use: create)
        group.get("projects/:projectId/\(collection)", use: list)
        group.get(RouterPath(item), use: get)
        group.patch(RouterPath(item), use: patch)
        group.delete(RouterPath(item), use: delete)
        for phase in Phase.allCases {
            let path = item + (phase == .runtime ? "/runtime-environment" : "/build-arguments")
            group.get(RouterPath(path)) { request, context in try await effective(request, context: context, phase: phase) }
            group.post(RouterPath(path)) { request, context in try await setOwn(request, context: context, phase: phase) }
            group.get(RouterPath(path + "/details")) { request, context in try await details(request, context: context, phase: phase) }
        }
        group.get(RouterPath(item + "/runtime-environment/values"), use: values)
        group.get(RouterPath(item + "/runtime-environment/values/:key"), use: value)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: updatePermission, in: store)
        let definition = try WorkloadDefinition(validating: try await bodyParser.json(from: request), limits: limits)
        let workload = try await store.createWorkload(definition, kind: kind, in: scope, at: .now())
        return JSONResponse.make(DataEnvelope(data: WorkloadResource(workload, projectId: scope.projectId)))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: readPermission, in: store)
        try context.requireWorkload(kind: kind, id: nil)
        let workloads = try await store.workloads(kind: kind, in: scope).map(WorkloadSummary.init)
        return JSONResponse.make(
            PagedEnvelope(data: WorkloadList(kind: kind, workloads: workloads), pagination: Pagination(hasNextPage: false, count: workloads.count))
        )
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: readPermission, in: store)
        try context.requireWorkload(kind: kind, id: context.parameters.get("workloadId"))
        let workload = try await existingWorkload(context, in: scope)
        return JSONResponse.make(DataEnvelope(data: WorkloadResource(workload, projectId: scope.projectId)))
    }

    @Sendable func patch(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: updatePermission, in: store)
        let id = try context.parameters.require("workloadId")
        let body = try await bodyParser.json(from: request)
        let limits = self.limits
        let workload = try await store.updateWorkload(id: id, kind: kind, in: scope, at: .now()) { try $0.patched(with: body, limits: limits) }
        return JSONResponse.make(DataEnvelope(data: WorkloadResource(workload, projectId: scope.projectId)))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: updatePermission, in: store)
        let id = try context.parameters.require("workloadId")
        guard try await store.deleteWorkload(id: id, kind: kind, in: scope) else {
            throw APIError(.notFound, "\(kind.displayName) '\(id)' not found")
        }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()))
    }

    /// The effective values: `show=this|inherited|all` (default all), templates substituted with
    /// `replaceTemplatedValues=true`. Without the permissions to read both secret and config values, only the
    /// workload's own values are shown, as the reference API does without the value permission.
    ///
    /// The answer carries an `ETag` (a digest of its bytes, so every replica gives the same one): `If-None-Match` with
    /// it answers 304 while the content is unchanged, and with `wait=SECONDS` (0...60) it waits until the content
    /// changes; a change elsewhere in the project re-reads the answer without waking the caller.
    func effective(_ request: Request, context: APIContext, phase: Phase) async throws -> Response {
        let (workload, snapshot, principal) = try await resolutionInput(context)
        let query = request.uri.queryParameters
        var scope = try Self.scope(query["show"].map(String.init))
        if !principal.readsAllValues { scope = .this }
        let substituted = try Self.flag(query["replaceTemplatedValues"].map(String.init), name: "replaceTemplatedValues")
        let wait = try Self.wait(query["wait"].map(String.init))
        let known = request.headers[.ifNoneMatch].map(Self.entityTags) ?? []
        var (body, tag) = answer(workload, snapshot, phase: phase, scope: scope, substituted: substituted)
        if known.contains(tag), wait > 0 {
            guard let subscription = changes.subscribe(try context.projectScope(requiring: readPermission)) else {
                throw ChangesController.tooManyWatchers
            }
            let deadline = ContinuousClock.now + .seconds(wait)
            (body, tag) = try await subscription.untilShutdown { stopping in
                var current = (body, tag)
                while known.contains(current.1) {
                    // Subscribed before this re-read: a change committed after the first read is seen here or wakes the wait.
                    let (workload, snapshot, _) = try await resolutionInput(context)
                    current = answer(workload, snapshot, phase: phase, scope: scope, substituted: substituted)
                    let remaining = deadline - ContinuousClock.now
                    guard known.contains(current.1), remaining > .zero, !stopping.value else { break }
                    _ = await subscription.next(timeout: remaining)
                }
                return current
            }
        }
        if known.contains(tag) || known.contains("*") { return Response(status: .notModified, headers: [.eTag: tag]) }
        return JSONResponse.make(body: body, headers: [.eTag: tag])
    }

    /// The encoded effective values and their entity tag, both kept with the snapshot.
    func answer(
        _ workload: Workload,
        _ snapshot: ProjectSnapshot,
        phase: Phase,
        scope: Resolver.Scope,
        substituted: Bool
    ) -> (ByteBuffer, String) {
        let key = "effective \(kind) \(workload.id) \(phase) \(scope) \(substituted)"
        let body = snapshot.response(key) {
            JSONResponse.encode(
                DataEnvelope(data: EffectiveValues(snapshot.resolution(of: workload, phase: phase, scope: scope, substituted: substituted)))
            )
        }
        let tag = snapshot.response("etag " + key) {
            var digest = ContentDigest()
            digest.add(Data(buffer: body))
            return ByteBuffer(string: "\"" + digest.hex.prefix(32) + "\"")
        }
        return (body, String(buffer: tag))
    }

    /// The entity tags an `If-None-Match` header lists (`W/` prefixes dropped: the comparison is weak, as RFC 9110 has
    /// it for If-None-Match).
    static func entityTags(_ header: String) -> Set<String> {
        Set(header.split(separator: ",").map { tag in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
        })
    }

    /// `wait` on a conditional read: whole seconds, 0...60.
    static func wait(_ text: String?) throws -> Int {
        guard let text else { return 0 }
        guard let value = ChangesController.waitSeconds(text) else {
            throw APIError(.badRequest, "Invalid query parameter 'wait'", details: ["wait": [ChangesController.waitRule]])
        }
        return value
    }

    /// Every key the workload receives, explained: the winner with its source and priority, and what it shadows.
    func details(_ request: Request, context: APIContext, phase: Phase) async throws -> Response {
        let (workload, snapshot, principal) = try await resolutionInput(context)
        let scope: Resolver.Scope = principal.readsAllValues ? .all : .this
        let body = snapshot.response("details \(kind) \(workload.id) \(phase) \(scope)") {
            var details = EffectiveValuesDetails(snapshot.resolution(of: workload, phase: phase, scope: scope, substituted: false))
            details.warnings += snapshot.projectWarnings
            return JSONResponse.encode(DataEnvelope(data: details))
        }
        return JSONResponse.make(body: body)
    }

    /// For Kubernetes' External Secrets Operator (its `webhook` provider): the runtime variables as one flat object of
    /// strings, templates resolved, for `dataFrom.extract` with `jsonPath: "$.data"`. Values are the point of this
    /// route, so it needs both value permissions rather than answering the workload's own values alone.
    @Sendable func values(_ request: Request, context: APIContext) async throws -> Response {
        let (workload, snapshot, principal) = try await resolutionInput(context)
        try Self.requireAllValues(principal)
        let body = snapshot.response("values \(kind) \(workload.id)") {
            JSONResponse.encode(DataEnvelope(data: snapshot.resolution(of: workload, phase: .runtime, scope: .all, substituted: true).environment))
        }
        return JSONResponse.make(body: body)
    }

    /// One runtime variable as `{"data": {"value": "..."}}` (for `data[]` with `jsonPath: "$.data.value"`); 404 for a
    /// key the workload does not have.
    @Sendable func value(_ request: Request, context: APIContext) async throws -> Response {
        let (workload, snapshot, principal) = try await resolutionInput(context)
        try Self.requireAllValues(principal)
        let key = try context.parameters.require("key")
        let environment = snapshot.resolution(of: workload, phase: .runtime, scope: .all, substituted: true).environment
        guard let value = environment[key] else {
            throw APIError(.notFound, "\(kind.displayName) '\(workload.id)' has no runtime variable '\(key)'")
        }
        return JSONResponse.make(DataEnvelope(data: ["value": value]))
    }

    static func requireAllValues(_ principal: Principal) throws {
        for type in GroupType.allCases where !principal.canReadValues(of: type) {
            throw APIError.forbidden(missing: Permission.valuesRead(of: type))
        }
    }

    /// Sets the workload's own values of one phase (`runtimeEnvironment` and optional `runtimeFiles`, or
    /// `buildArguments` and optional `buildFiles`).
    func setOwn(_ request: Request, context: APIContext, phase: Phase) async throws -> Response {
        let scope = try await context.existingProject(requiring: updatePermission, in: store)
        let id = try context.parameters.require("workloadId")
        let body = try await bodyParser.json(from: request)
        let limits = self.limits
        _ = try await store.updateWorkload(id: id, kind: kind, in: scope, at: .now()) {
            try $0.settingOwnValues(of: phase, from: body, limits: limits)
        }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()))
    }

    func resolutionInput(_ context: APIContext) async throws -> (Workload, ProjectSnapshot, Principal) {
        let scope = try await context.existingProject(requiring: readPermission, in: store)
        let principal = try context.requirePrincipal()
        let id = try context.parameters.require("workloadId")
        try context.requireWorkload(kind: kind, id: id)
        let snapshot = try await snapshots.snapshot(of: scope)
        guard let workload = snapshot.workload(kind: kind, id: id) else {
            throw APIError(.notFound, "\(kind.displayName) '\(id)' not found")
        }
        return (workload, snapshot, principal)
    }

    func existingWorkload(_ context: APIContext, in scope: ProjectScope) async throws -> Workload {
        let id = try context.parameters.require("workloadId")
        guard let workload = try await store.workload(id: id, kind: kind, in: scope) else {
            throw APIError(.notFound, "\(kind.displayName) '\(id)' not found")
        }
        return workload
    }

    static func scope(_ text: String?) throws -> Resolver.Scope {
        guard let text else { return .all }
        guard let scope = Resolver.Scope(rawValue: text) else {
            throw APIError(.badRequest, "Invalid query parameter 'show'", details: ["show": ["must be one of: this, inherited, all"]])
        }
        return scope
    }

    static func flag(_ text: String?, name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw APIError(.badRequest, "Invalid query parameter '\(name)'", details: [name: ["must be true or false"]])
        }
    }
}
