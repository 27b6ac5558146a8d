import CofferCore
import Foundation

/// One recorded version of a secret group as its table stores it: who made it, what it changed, and the group's row as
/// that version left it, sealed exactly as the group's own row was at that version (the associated data binds
/// project, group and version, so the same sealed bytes serve both).
public struct GroupVersionRow: Sendable, Hashable {
    public var scope: ProjectScope
    public var groupId: String
    public var version: Int
    /// A `GroupVersionAction`.
    public var action: String
    public var at: Int64
    public var actor: String
    /// JSON (`StoredPayload`) lists of names.
    public var changedKeys: String
    public var changedFields: String
    /// The group as this version left it: nil for a delete, and in listings, which read no values.
    public var group: GroupRow?

    public init(
        scope: ProjectScope, groupId: String, version: Int, action: String, at: Int64, actor: String, changedKeys: String,
        changedFields: String, group: GroupRow?
    ) {
        self.scope = scope
        self.groupId = groupId
        self.version = version
        self.action = action
        self.at = at
        self.actor = actor
        self.changedKeys = changedKeys
        self.changedFields = changedFields
        self.group = group
    }

    public var isDeletion: Bool { action == GroupVersionAction.delete.rawValue }
}

/// One group id's history seen from a moment: what it was then, and which versions are kept.
public struct GroupHistoryAsOf: Sendable, Hashable {
    public var groupId: String
    /// Its newest version recorded at or before the moment (with its row), nil if none is kept.
    public var then: GroupVersionRow?
    public var oldestKept: Int
    public var newest: Int

    public init(groupId: String, then: GroupVersionRow?, oldestKept: Int, newest: Int) {
        self.groupId = groupId
        self.then = then
        self.oldestKept = oldestKept
        self.newest = newest
    }
}

extension GroupVersionRow {
    /// The version `entry` (a group change naming its version) records, with the group's row as it left it.
    package init(recording entry: AuditEntry, action: GroupVersionAction, in scope: ProjectScope, group: GroupRow?) throws {
        self.init(
            scope: scope, groupId: entry.resourceId, version: entry.version ?? 0, action: action.rawValue,
            at: entry.at.millisecondsSinceEpoch, actor: entry.actor, changedKeys: try StoredPayload.encode(entry.changedKeys),
            changedFields: try StoredPayload.encode(entry.changedFields), group: group
        )
    }
}

extension GroupVersionRow {
    /// The version without the group's row, as listings read it.
    package var withoutRow: GroupVersionRow {
        var row = self
        row.group = nil
        return row
    }
}

/// A group id in a project: where a group's history lives.
public struct GroupAddress: Sendable, Hashable {
    public var scope: ProjectScope
    public var id: String

    public init(scope: ProjectScope, id: String) {
        self.scope = scope
        self.id = id
    }
}
