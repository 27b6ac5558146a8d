import CofferCore
import Foundation

/// A set of rows a read or a write needs, which the driver loads in the transaction (and, in a write, locks where the
/// database has row locks). Writes declare what they read before they decide, so every driver runs the same rules.
public enum RowKey: Sendable, Hashable {
    /// Whether any team exists.
    case anyTeam
    case team(String)
    /// The project's row and every generation of its data key.
    case project(ProjectScope)
    case projects(team: String)
    /// The id of the master key that wraps new data keys, as the store records it (nil in a new store).
    case wrappingKeyID
    case group(ProjectScope, id: String)
    /// Every group of the project, ordered by id.
    case groups(ProjectScope)
    /// Up to `limit` groups ordered by id after the id `after` or from `offset`, without values or dependencies.
    case groupSummaries(ProjectScope, after: String?, offset: Int, limit: Int)
    case addon(ProjectScope, kind: String, id: String)
    case addons(ProjectScope, kind: String)
    case workload(ProjectScope, kind: String, id: String)
    /// The project's workloads of one kind (nil: all, services first), ordered by id.
    case workloads(ProjectScope, kind: String?)
    case token(id: String, team: String)
    case tokenWithHash(Data)
    /// Whether a token with this id or this hash exists.
    case tokenTaken(id: String, hash: Data)
    case tokens(team: String)

    // MARK: History

    /// Up to `limit` versions of the group id, newest first, below version `before` (nil: from the newest), without
    /// their rows.
    case groupVersions(ProjectScope, id: String, before: Int?, limit: Int)
    /// One version of the group id, with its row.
    case groupVersion(ProjectScope, id: String, version: Int)
    /// The newest version of the group id, without its row (nil if it has no history).
    case latestGroupVersion(ProjectScope, id: String)
    /// The newest version of the group id that is not a delete, with its row.
    case latestGroupContent(ProjectScope, id: String)
    /// For each group id of the project with history: its newest version recorded at or before `at` (with its row),
    /// and the numbers of its oldest and newest versions kept.
    case historyAsOf(ProjectScope, at: Int64)
    /// Up to `limit` versions history retention drops: those older than a group's newest `keepVersions` that are not
    /// deletes (a delete does not count, so a deleted group keeps what it can be restored to), and every version of a
    /// group whose newest version is a delete recorded before `deletedBefore`. Without rows. With `among`, only those
    /// groups' versions are considered (an index lookup rather than a pass over the whole table).
    case expiredVersions(keepVersions: Int, deletedBefore: Int64, limit: Int, among: [GroupAddress]?)

    // MARK: Key rotation

    /// The project's row and data keys, locked against every concurrent write to the project (writes hold a shared
    /// lock on the project row where the database has row locks), so the generations in use cannot change under it.
    case lockedProject(ProjectScope)
    /// Every project of every team, ordered by team and id.
    case allProjects
    /// The projects some of whose data keys are not of the current generation (a rotation to finish).
    case projectsWithOlderDataKeys
    /// Up to `limit` (nil: all) data keys not wrapped by this master key, ordered by team, project and generation.
    case dataKeysNotWrapped(by: String, limit: Int?)
    /// The ids of the master keys that wrap something: data keys or the check value.
    case masterKeyIDsInUse
    /// Up to `limit` groups, up to `limit` addons, up to `limit` workloads and up to `limit` group versions of the
    /// project sealed under another generation than its current one (the rotation takes `limit` of them in all).
    case rowsSealedUnderOlderKeys(ProjectScope, limit: Int)
    /// The data-key generations the project's groups, addons, workloads and group versions are sealed under.
    case generationsInUse(ProjectScope)

    /// Whether the row (in a write) is locked until the transaction ends, where the database has row locks.
    public var locksRow: Bool {
        switch self {
        case .group, .addon, .workload, .token, .lockedProject, .rowsSealedUnderOlderKeys: true
        default: false
        }
    }
}

/// What the driver found for one `RowKey`.
public enum LoadedRow: Sendable {
    case flag(Bool)
    case team(Team?)
    case project(ProjectRow?, dataKeys: [DataKeyRow])
    case projects([ProjectRow])
    case wrappingKeyID(String?)
    case group(GroupRow?)
    case groups([GroupRow])
    case addon(AddonRow?)
    case addons([AddonRow])
    case workload(WorkloadRow?)
    case workloads([WorkloadRow])
    case token(Token?)
    case tokens([Token])
    case dataKeys([DataKeyRow])
    case strings([String])
    case integers([Int])
    case sealedRows(groups: [GroupRow], addons: [AddonRow], workloads: [WorkloadRow], versions: [GroupVersionRow])
    case version(GroupVersionRow?)
    case versions([GroupVersionRow])
    case historyAsOf([GroupHistoryAsOf])
}
