/// What a recorded version of a secret group did to it.
public enum GroupVersionAction: String, Sendable, Hashable, Codable, CaseIterable {
    case create
    case update
    case delete
    /// Put back as it was at an earlier version (`POST .../rollback`).
    case rollback
    /// A deleted group brought back as its last version before the delete, alone or by a project restore.
    case restore
}

/// One recorded version of a group, without its values: who changed what, and when. Versions are numbered per group
/// id from 1 and never reused, across a delete and a re-create.
public struct GroupVersionInfo: Sendable, Hashable {
    public var version: Int
    public var at: Timestamp
    /// The token id that made the change, or `system`.
    public var actor: String
    public var action: GroupVersionAction
    /// Names of the variables, file paths and mounts whose value was set, changed or removed.
    public var changedKeys: [String]
    /// Names of the other top-level fields that changed.
    public var changedFields: [String]

    public init(version: Int, at: Timestamp, actor: String, action: GroupVersionAction, changedKeys: [String], changedFields: [String]) {
        self.version = version
        self.at = at
        self.actor = actor
        self.action = action
        self.changedKeys = changedKeys
        self.changedFields = changedFields
    }
}

/// A recorded version with the group as that version left it (nil for the version that records a delete).
public struct GroupVersion: Sendable, Hashable {
    public var info: GroupVersionInfo
    public var group: SecretGroup?

    public init(info: GroupVersionInfo, group: SecretGroup?) {
        self.info = info
        self.group = group
    }
}

/// What putting a project back to a moment does to one group.
public struct GroupRestoreStep: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, Codable {
        /// The group was deleted since and comes back.
        case restore
        /// The group exists and goes back to its content of then.
        case rollback
        /// The group was created since and is deleted.
        case delete
    }

    public var secretId: String
    public var action: Action
    /// The group's version now (nil if it does not exist now).
    public var fromVersion: Int?
    /// The version whose content it gets (nil for a delete).
    public var asOfVersion: Int?
    /// The version the change records (set once applied; in a dry run, the one it would record).
    public var version: Int
    public var changedKeys: [String]
    public var changedFields: [String]

    public init(
        secretId: String, action: Action, fromVersion: Int?, asOfVersion: Int?, version: Int, changedKeys: [String], changedFields: [String]
    ) {
        self.secretId = secretId
        self.action = action
        self.fromVersion = fromVersion
        self.asOfVersion = asOfVersion
        self.version = version
        self.changedKeys = changedKeys
        self.changedFields = changedFields
    }
}

/// What a project restore does (or, in a dry run, would do): one step per group that changes, ordered by id.
public struct ProjectRestorePlan: Sendable, Hashable {
    public var asOf: Timestamp
    public var dryRun: Bool
    public var steps: [GroupRestoreStep]

    public init(asOf: Timestamp, dryRun: Bool, steps: [GroupRestoreStep]) {
        self.asOf = asOf
        self.dryRun = dryRun
        self.steps = steps
    }
}
