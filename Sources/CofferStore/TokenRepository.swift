import CofferCore
import Foundation

/// The team's tokens: bootstrap, lookup by hash, creation and revocation. Every write returns only after its change is durable and appends its audit entry
/// (actor from `AuditActor.current`) in the same transaction; a write that changes nothing appends nothing.
public protocol TokenRepository: Sendable {
    /// Whether the store has no team yet (a fresh store that needs bootstrapping).
    func isEmpty() async throws -> Bool
    /// Creates a team and its first token atomically; `alreadyExists` if the team exists.
    func bootstrap(team: Team, token: Token) async throws
    /// The token with this hash, usable or not.
    func token(hash: Data) async throws -> Token?
    /// Stores a new token; `alreadyExists` if its id or hash is taken, `teamNotFound` without its team.
    func createToken(_ token: Token) async throws
    /// The team's tokens, revoked and expired ones included, ordered by creation then id.
    func tokens(team teamId: String) async throws -> [Token]
    /// Marks a token revoked (a revoked token keeps its first revocation time); nil if the team has no such token.
    func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token?
}
