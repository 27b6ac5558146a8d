import Foundation

/// A stored API token. The token text itself is never stored: only its SHA-256 hash.
public struct Token: Sendable, Hashable {
    public var id: String
    public var teamId: String
    public var name: String
    /// SHA-256 of the token text.
    public var secretHash: Data
    public var roleName: String
    /// The projects the token may address; nil for every project of its team.
    public var projectIds: [String]?
    /// The one workload whose effective environment a `workload`-role token reads.
    public var workload: WorkloadReference?
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(
        id: String,
        teamId: String,
        name: String,
        secretHash: Data,
        roleName: String,
        projectIds: [String]? = nil,
        workload: WorkloadReference? = nil,
        createdAt: Timestamp,
        expiresAt: Timestamp? = nil,
        revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.teamId = teamId
        self.name = name
        self.secretHash = secretHash
        self.roleName = roleName
        self.projectIds = projectIds
        self.workload = workload
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token may authenticate at `now`: not revoked, not expired.
    public func isUsable(at now: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// One service or job of one project.
public struct WorkloadReference: Sendable, Hashable, Codable {
    public var projectId: String
    public var kind: WorkloadKind
    public var id: String

    public init(projectId: String, kind: WorkloadKind, id: String) {
        self.projectId = projectId
        self.kind = kind
        self.id = id
    }
}
