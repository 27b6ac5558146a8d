import Foundation

/// A stored API token. The token text itself is never stored: only its SHA-256 hash.
public struct Token: Sendable, Hashable {
    public var id: String
    public var teamId: String
    public var name: String
    /// SHA-256 of the token text.
    public var secretHash: Data
    public var roleName: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(
        id: String,
        teamId: String,
        name: String,
        secretHash: Data,
        roleName: String,
        createdAt: Timestamp,
        expiresAt: Timestamp? = nil,
        revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.teamId = teamId
        self.name = name
        self.secretHash = secretHash
        self.roleName = roleName
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token may authenticate at `now`: not revoked, not expired.
    public func isUsable(at now: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}
