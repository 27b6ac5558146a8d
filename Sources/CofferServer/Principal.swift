import CofferCore

/// Who a request acts as: the token that authenticated it, its team, its role and its limits.
public struct Principal: Sendable, Hashable {
    public var tokenId: String
    public var teamId: String
    public var role: Role
    /// The projects the token may address; nil for all of its team's.
    public var projectIds: [String]?
    /// The one workload a `workload`-role token reads.
    public var workload: WorkloadReference?

    public init(tokenId: String, teamId: String, role: Role, projectIds: [String]? = nil, workload: WorkloadReference? = nil) {
        self.tokenId = tokenId
        self.teamId = teamId
        self.role = role
        self.projectIds = projectIds
        self.workload = workload
    }

    public init(token: Token, role: Role) {
        self.init(tokenId: token.id, teamId: token.teamId, role: role, projectIds: token.projectIds, workload: token.workload)
    }

    /// Whether the token may address `projectId` at all.
    public func mayAddress(project projectId: String) -> Bool {
        if let workload { return workload.projectId == projectId }
        return projectIds.map { $0.contains(projectId) } ?? true
    }

    /// Whether the principal may read the values of every group type.
    public var readsAllValues: Bool {
        GroupType.allCases.allSatisfy(canReadValues(of:))
    }

    /// Whether values of groups of `type` are shown to this principal (otherwise they are `null`).
    public func canReadValues(of type: GroupType) -> Bool {
        role.canReadValues(of: type)
    }
}
