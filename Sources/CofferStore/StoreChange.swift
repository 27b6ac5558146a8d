import CofferCore

/// One committed change as other replicas of a shared store hear of it: which team, project and resource changed, by
/// id only (never a value), so that they drop what they cached of it.
public struct StoreChange: Sendable, Hashable, Codable {
    public var teamId: String
    /// nil for a change outside any project (a token).
    public var projectId: String?
    public var resourceType: AuditResourceType
    public var resourceId: String
    /// The store instance that made the change (random per process), so it can ignore its own announcements.
    public var origin: String?

    public init(teamId: String, projectId: String?, resourceType: AuditResourceType, resourceId: String, origin: String? = nil) {
        self.teamId = teamId
        self.projectId = projectId
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.origin = origin
    }

    /// The change an audit entry records: every change appends exactly one entry, in its own transaction.
    package init(_ entry: AuditEntry, origin: String) {
        self.init(teamId: entry.teamId, projectId: entry.projectId, resourceType: entry.resourceType, resourceId: entry.resourceId, origin: origin)
    }
}
