import CofferCore

/// A token on the wire (`GET /v1/tokens`, create, revoke): what it may do and whether it still works. Never the
/// token text, which only the create answer carries, once.
public struct TokenResource: Codable, Sendable, Equatable {
    /// `active`, `expired` or `revoked`.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case active
        case expired
        case revoked
    }

    public var id: String
    public var name: String
    public var role: String
    public var projects: [String]?
    public var workload: WorkloadReference?
    public var status: Status
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(_ token: Token, at now: Timestamp) {
        id = token.id
        name = token.name
        role = token.roleName
        projects = token.projectIds
        workload = token.workload
        status = token.revokedAt != nil ? .revoked : (token.isUsable(at: now) ? .active : .expired)
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
    }
}

/// `{"tokens": [...]}`, oldest first.
public struct TokenList: Codable, Sendable, Equatable {
    public var tokens: [TokenResource]

    public init(tokens: [TokenResource]) {
        self.tokens = tokens
    }
}

/// The answer to `POST /v1/tokens`: the token and, this once, its text.
public struct CreatedToken: Codable, Sendable, Equatable {
    public var token: TokenResource
    /// The bearer text. It is not stored and cannot be shown again.
    public var secret: String

    public init(token: TokenResource, secret: String) {
        self.token = token
        self.secret = secret
    }
}
