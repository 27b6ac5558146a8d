import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `POST /projects/{p}/change-sets`: several group operations applied as one transaction, or only planned, each with
/// the validation, semantics and permissions of its single route.
struct ChangeSetsController {
    let store: any SecretStore
    /// Larger than the single routes' limit: a change set carries up to 1,000 bodies.
    let bodyParser: RequestBodyParser
    let limits: ValidationLimits

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("projects/:projectId/change-sets", use: apply)
    }

    /// Checked in order, operation by operation: its permission, its body, then (in the transaction) whether its group
    /// is there, its `ifMatch`, and the value permission of the group's type before and after it. The first failure
    /// answers, with details keyed `operations[i]`, and nothing is changed.
    @Sendable func apply(_ request: Request, context: APIContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let scope = ProjectScope(team: try context.teamId(of: principal), project: try context.parameters.require("projectId"))
        guard principal.mayAddress(project: scope.projectId) else { throw APIError.outsideLimits(of: principal) }
        let body = try await bodyParser.json(from: request)
        let changeSet = try ChangeSetRequest(validating: body, limits: limits) { index, kind in
            do {
                try context.require(Self.permission(of: kind))
            } catch {
                throw ChangeSetFailure(index: index, error: error)
            }
        }
        guard try await store.project(scope) != nil else { throw APIError.projectNotFound(scope.projectId) }
        let outcome = try await store.applyChangeSet(changeSet.operations, in: scope, at: .now(), dryRun: changeSet.dryRun) { _, before, after in
            // The single routes' rule: a write needs the value permission of the group's type before and after it.
            if let before { try SecretGroupsController.requireValues(of: before, principal: principal) }
            if let after { try SecretGroupsController.requireValues(of: after, principal: principal) }
        }
        let revision: Int64
        if let revisions = outcome.revisions { revision = revisions.upperBound } else { revision = try await store.latestRevision(in: scope) }
        let resource = ChangeSetResource(
            revision: revision,
            firstRevision: outcome.revisions?.lowerBound,
            dryRun: changeSet.dryRun,
            changedSecrets: outcome.written,
            results: outcome.results,
            plan: Self.plan(of: outcome, visibleTo: principal)
        )
        return JSONResponse.make(DataEnvelope(data: resource))
    }

    static func permission(of kind: ChangeSetOperation.Kind) -> Permission {
        switch kind {
        case .put: .secretGroupsCreate
        case .patch, .link, .unlink: .secretGroupsUpdate
        case .delete: .secretGroupsDelete
        }
    }

    /// The plan over the workloads the principal may read: services with `Services > Read`, jobs with `Jobs > Read`
    /// (a workload token: its own workload alone). The project's warnings need nothing more than the change set did.
    static func plan(of outcome: ChangeSetOutcome, visibleTo principal: Principal) -> ChangeSetPlan {
        let permissions = principal.role.permissions
        let workloads = outcome.workloads.filter { workload in
            if let own = principal.workload, own.kind != workload.kind || own.id != workload.id { return false }
            return permissions.contains(workload.kind == .service ? .servicesRead : .jobsRead)
        }
        let addons = Dictionary(outcome.addons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let externalAddons = Dictionary(outcome.externalAddons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Which restricted groups match no workload depends on every workload, seen or not.
        return ChangeSetPlan(
            before: Resolver(groups: outcome.before, addons: addons, externalAddons: externalAddons),
            after: Resolver(groups: outcome.after, addons: addons, externalAddons: externalAddons),
            workloads: workloads,
            projectWorkloads: outcome.workloads,
            touched: Set(outcome.written)
        )
    }
}
