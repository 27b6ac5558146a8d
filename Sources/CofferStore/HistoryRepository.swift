import CofferCore
import Foundation

/// Secret groups' history: every accepted change to a group records a version in the transaction of the change (see
/// `GroupRepository`), and these calls read it and put groups back. Writes append audit entries naming the version.
public protocol HistoryRepository: Sendable {
    /// Up to `limit` versions of the group id, newest first, below version `before` (nil: from the newest); nil if the
    /// id has neither a group nor any kept history in the project.
    func groupVersions(id: String, in scope: ProjectScope, before: Int?, limit: Int) async throws -> GroupVersionPage?
    /// One version of the group id, with the group as it left it; nil if that version is not kept (or never was).
    func groupVersion(id: String, version: Int, in scope: ProjectScope) async throws -> GroupVersion?
    /// Makes the group what it was at `version`, as a new version (action rollback); nothing when that is its content
    /// already. `authorize` sees the current group and the target version's before anything changes and throws to refuse.
    /// `groupNotFound` for a deleted group, `versionNotFound` or `versionIsDeletion` for an unusable target.
    func rollbackGroup(
        id: String,
        toVersion version: Int,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        authorize: @escaping @Sendable (_ current: SecretGroup, _ target: SecretGroup) throws -> Void
    ) async throws -> (SecretGroup, WriteOutcome)
    /// Brings a deleted group back as its last version before the delete (action restore); `alreadyExists` if a group
    /// with the id exists, `groupNotFound` if it has no kept history.
    func restoreGroup(id: String, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup
    /// The groups of the project as they were at `asOf`, ordered by id; `historyNotKept` if some group's state then is
    /// no longer known (its older versions were dropped).
    func groups(in scope: ProjectScope, asOf: Timestamp) async throws -> [SecretGroup]
    /// Puts every group of the project back as it was at `asOf` in one transaction (restoring, rolling back and
    /// deleting, one version each), or with `dryRun` only answers what it would do. All or nothing.
    func restoreProject(_ scope: ProjectScope, asOf: Timestamp, at now: Timestamp, dryRun: Bool) async throws -> ProjectRestorePlan
    /// Drops up to `limit` versions that retention no longer keeps (see `RowKey.expiredVersions`), in one short
    /// transaction; returns how many.
    func pruneHistory(keepVersions: Int, deletedBefore: Timestamp, limit: Int) async throws -> Int
}

/// A page of a group's versions, and the group's current version (nil while it is deleted).
public struct GroupVersionPage: Sendable, Hashable {
    public var versions: [GroupVersionInfo]
    public var current: Int?

    public init(versions: [GroupVersionInfo], current: Int?) {
        self.versions = versions
        self.current = current
    }
}
