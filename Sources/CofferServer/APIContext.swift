import CofferCore
import CofferStore
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the authenticated principal.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every route but `/v1/health`.
    public var principal: Principal?
    /// The connection the request came on (a stream closes it to drop a client that stopped reading).
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        channel = source.channel
    }

    /// The principal, which `AuthMiddleware` guarantees on authenticated routes.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthenticated }
        return principal
    }

    /// Throws 403 naming `permission` unless the principal's role has it.
    @discardableResult
    public func require(_ permission: Permission) throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.role.permissions.contains(permission) else { throw APIError.forbidden(missing: permission) }
        return principal
    }

    /// The project a route addresses, in the token's team or in the route's `teamId` (403 for another team, or for a
    /// project outside the token's limits).
    public func projectScope(requiring permission: Permission) throws -> ProjectScope {
        let principal = try require(permission)
        let scope = ProjectScope(team: try teamId(of: principal), project: try parameters.require("projectId"))
        guard principal.mayAddress(project: scope.projectId) else { throw APIError.outsideLimits(of: principal) }
        return scope
    }

    /// Throws 403 unless the principal may see (and so change) values of groups of `type`.
    public func requireValues(of type: GroupType) throws {
        let principal = try requirePrincipal()
        guard principal.canReadValues(of: type) else { throw APIError.forbidden(missing: Permission.valuesRead(of: type)) }
    }

    /// Throws 403 when the token is scoped to one workload and the route addresses anything else.
    public func requireWorkload(kind: WorkloadKind, id: String?) throws {
        let principal = try requirePrincipal()
        guard let workload = principal.workload else { return }
        guard workload.kind == kind, workload.id == id else { throw APIError.outsideLimits(of: principal) }
    }

    /// The addressed project after the permission check; 404 naming it when it does not exist in `store`.
    public func existingProject(requiring permission: Permission, in store: any ProjectRepository) async throws -> ProjectScope {
        let scope = try projectScope(requiring: permission)
        guard try await store.project(scope) != nil else { throw APIError.projectNotFound(scope.projectId) }
        return scope
    }

    /// The team a route addresses: the route's `teamId` if present (which must be the principal's), else the principal's.
    public func teamId(of principal: Principal) throws -> String {
        if let routeTeam = parameters.get("teamId"), routeTeam != principal.teamId {
            throw APIError(.forbidden, "The token used to authenticate does not belong to team '\(routeTeam)'")
        }
        return principal.teamId
    }
}
