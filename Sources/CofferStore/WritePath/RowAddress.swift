import CofferCore

/// Which stored rows a read depends on or a change touches, as coarse as needed to be safe and as fine as the hot path
/// needs: a table, narrowed by team, project and record id, where nil means every value. A driver that runs several
/// writes of a batch on rows it read once (or applies their changes together) asks whether a write reads, or changes,
/// what an earlier write of the batch changed; where the answer could be yes, it is yes.
public struct RowAddress: Sendable, Hashable {
    public enum Table: Sendable, Hashable {
        case team, token, project, group, groupVersion, addon, workload, masterKey
    }

    /// nil: every table (a project's deletion reaches everything in it).
    public var table: Table?
    public var team: String?
    public var project: String?
    /// The record's id within its project or team (kind and id for addons and workloads).
    public var id: String?

    public init(_ table: Table?, team: String? = nil, project: String? = nil, id: String? = nil) {
        self.table = table
        self.team = team
        self.project = project
        self.id = id
    }

    init(_ table: Table?, _ scope: ProjectScope, id: String? = nil) {
        self.init(table, team: scope.teamId, project: scope.projectId, id: id)
    }

    /// Whether some row is at both addresses.
    public func overlaps(_ other: RowAddress) -> Bool {
        func meets<Value: Equatable>(_ a: Value?, _ b: Value?) -> Bool {
            guard let a, let b else { return true }
            return a == b
        }
        return meets(table, other.table) && meets(team, other.team) && meets(project, other.project) && meets(id, other.id)
    }
}

extension RowKey {
    /// The rows this read depends on.
    public var addresses: [RowAddress] {
        switch self {
        case .anyTeam: [RowAddress(.team)]
        case .team(let id): [RowAddress(.team, team: id)]
        case .project(let scope), .lockedProject(let scope): [RowAddress(.project, scope)]
        case .projects(let team): [RowAddress(.project, team: team)]
        case .wrappingKeyID: [RowAddress(.masterKey)]
        case .group(let scope, let id): [RowAddress(.group, scope, id: id)]
        case .groups(let scope), .groupSummaries(let scope, _, _, _): [RowAddress(.group, scope)]
        case .addon(let scope, let kind, let id): [RowAddress(.addon, scope, id: Self.kindAndID(kind, id))]
        case .addons(let scope, _): [RowAddress(.addon, scope)]
        case .workload(let scope, let kind, let id): [RowAddress(.workload, scope, id: Self.kindAndID(kind, id))]
        case .workloads(let scope, _): [RowAddress(.workload, scope)]
        case .token(let id, let team): [RowAddress(.token, team: team, id: id)]
        case .tokenWithHash, .tokenTaken: [RowAddress(.token)]
        case .tokens(let team): [RowAddress(.token, team: team)]
        case .groupVersions(let scope, let id, _, _), .groupVersion(let scope, let id, _), .latestGroupVersion(let scope, let id),
            .latestGroupContent(let scope, let id):
            [RowAddress(.groupVersion, scope, id: id)]
        case .historyAsOf(let scope, _): [RowAddress(.groupVersion, scope)]
        case .expiredVersions: [RowAddress(.groupVersion)]
        case .allProjects, .projectsWithOlderDataKeys, .dataKeysNotWrapped: [RowAddress(.project)]
        case .masterKeyIDsInUse: [RowAddress(.project), RowAddress(.masterKey)]
        case .rowsSealedUnderOlderKeys(let scope, _), .generationsInUse(let scope):
            [RowAddress(.project, scope), RowAddress(.group, scope), RowAddress(.addon, scope), RowAddress(.workload, scope), RowAddress(.groupVersion, scope)]
        }
    }

    /// An addon's or workload's address within its project: kinds share ids.
    static func kindAndID(_ kind: String, _ id: String) -> String { kind + "/" + id }
}

extension RowChange {
    /// The rows this change writes.
    public var addresses: [RowAddress] {
        switch self {
        case .insertTeam(let team): [RowAddress(.team, team: team.id)]
        case .insertToken(let token), .updateToken(let token): [RowAddress(.token, team: token.teamId, id: token.id)]
        case .insertProject(let row, _): [RowAddress(.project, row.scope)]
        // Foreign keys cascade to every row of the project.
        case .deleteProject(let scope): [RowAddress(nil, scope)]
        case .insertGroup(let row), .updateGroup(let row): [RowAddress(.group, row.scope, id: row.id)]
        case .deleteGroup(let scope, let id): [RowAddress(.group, scope, id: id)]
        case .insertAddon(let row), .updateAddon(let row): [RowAddress(.addon, row.scope, id: RowKey.kindAndID(row.kind, row.id))]
        case .deleteAddon(let scope, let kind, let id): [RowAddress(.addon, scope, id: RowKey.kindAndID(kind, id))]
        case .insertWorkload(let row), .updateWorkload(let row):
            [RowAddress(.workload, row.scope, id: RowKey.kindAndID(row.kind, row.id))]
        case .deleteWorkload(let scope, let kind, let id): [RowAddress(.workload, scope, id: RowKey.kindAndID(kind, id))]
        case .insertGroupVersion(let version), .resealGroupVersion(let version): [RowAddress(.groupVersion, version.scope, id: version.groupId)]
        case .deleteGroupVersions(let versions): versions.map { RowAddress(.groupVersion, $0.scope, id: $0.groupId) }
        case .insertDataKey(let row), .updateDataKey(let row): [RowAddress(.project, row.scope)]
        case .deleteDataKey(let scope, _), .setDataKeyGeneration(let scope, _): [RowAddress(.project, scope)]
        case .recordPrimaryMasterKey: [RowAddress(.masterKey)]
        }
    }

    /// Whether the change may touch a project's row or data keys (what a batch that read them once must read again).
    public var mayChangeProjectRows: Bool {
        addresses.contains { $0.overlaps(RowAddress(.project)) }
    }
}
