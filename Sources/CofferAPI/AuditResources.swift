import CofferCore
import Foundation

/// An audit entry on the wire (`GET /v1/projects/{p}/audit`): hashes as lowercase hex.
public struct AuditEntryResource: Codable, Sendable, Equatable {
    public var sequence: Int64
    public var at: Timestamp
    public var teamId: String
    public var projectId: String?
    public var actor: String
    public var action: AuditAction
    public var resourceType: AuditResourceType
    public var resourceId: String
    public var changedKeys: [String]
    public var changedFields: [String]
    /// The version a change to a secret group recorded.
    public var version: Int?
    /// The project's revision the change made (the change feed).
    public var revision: Int64?
    public var route: String?
    public var requestId: String?
    public var previousHash: String
    public var hash: String

    public init(_ entry: AuditEntry) {
        sequence = entry.sequence
        at = entry.at
        teamId = entry.teamId
        projectId = entry.projectId
        actor = entry.actor
        action = entry.action
        resourceType = entry.resourceType
        resourceId = entry.resourceId
        changedKeys = entry.changedKeys
        changedFields = entry.changedFields
        version = entry.version
        revision = entry.revision
        route = entry.route
        requestId = entry.requestId
        previousHash = entry.previousHash.lowercaseHex
        hash = entry.hash.lowercaseHex
    }
}

/// `{"entries": [...]}`, oldest first.
public struct AuditEntryList: Codable, Sendable, Equatable {
    public var entries: [AuditEntryResource]

    public init(entries: [AuditEntryResource]) {
        self.entries = entries
    }
}
