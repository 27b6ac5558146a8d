import CofferCore

/// One change in a project's feed (`GET /v1/projects/{p}/changes`): what changed, never a value.
public struct ChangeResource: Codable, Sendable, Equatable {
    public var revision: Int64
    public var at: Timestamp
    public var action: AuditAction
    public var resourceType: AuditResourceType
    public var resourceId: String
    /// The version a change to a secret group recorded.
    public var version: Int?
    public var changedKeys: [String]
    public var changedFields: [String]

    public init(
        revision: Int64, at: Timestamp, action: AuditAction, resourceType: AuditResourceType, resourceId: String, version: Int?,
        changedKeys: [String], changedFields: [String]
    ) {
        self.revision = revision
        self.at = at
        self.action = action
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.version = version
        self.changedKeys = changedKeys
        self.changedFields = changedFields
    }

    /// The change an audit entry of a project records; nil for a team-level entry.
    public init?(_ entry: AuditEntry) {
        guard let revision = entry.revision else { return nil }
        self.init(
            revision: revision, at: entry.at, action: entry.action, resourceType: entry.resourceType, resourceId: entry.resourceId,
            version: entry.version, changedKeys: entry.changedKeys, changedFields: entry.changedFields
        )
    }
}

/// `{"revision": <latest>, "changes": [...]}`, oldest first.
public struct ChangeFeed: Codable, Sendable, Equatable {
    public var revision: Int64
    public var changes: [ChangeResource]

    public init(revision: Int64, changes: [ChangeResource]) {
        self.revision = revision
        self.changes = changes
    }
}
