import CofferCore
import Foundation

extension StoreDriver {
    public func isEmpty() async throws -> Bool {
        try await !load([.anyTeam]).flag(.anyTeam)
    }

    public func bootstrap(team: Team, token: Token) async throws {
        let actor = AuditActor.current
        let _: Bool = try await submit(reads: [.team(team.id)]) { rows in
            guard rows.team(team.id) == nil else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
            return (true, [.insertTeam(team), .insertToken(token)], [.tokenChange(.create, token, at: token.createdAt, by: actor)])
        }
    }

    public func token(hash: Data) async throws -> Token? {
        let key = RowKey.tokenWithHash(hash)
        return try await load([key]).token(key)
    }

    public func createToken(_ token: Token) async throws {
        let actor = AuditActor.current
        let taken = RowKey.tokenTaken(id: token.id, hash: token.secretHash)
        let _: Bool = try await submit(reads: [.team(token.teamId), taken]) { rows in
            guard rows.team(token.teamId) != nil else { throw StoreError.teamNotFound(token.teamId) }
            guard !rows.flag(taken) else { throw StoreError.tokenExists(token.id) }
            return (true, [.insertToken(token)], [.tokenChange(.create, token, at: token.createdAt, by: actor)])
        }
    }

    public func tokens(team teamId: String) async throws -> [Token] {
        let key = RowKey.tokens(team: teamId)
        return try await load([key]).tokens(key)
    }

    public func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token? {
        let actor = AuditActor.current
        let key = RowKey.token(id: id, team: teamId)
        return try await submit(reads: [key]) { rows -> (Token?, [RowChange], [AuditEntry]) in
            guard var token = rows.token(key) else { return (nil, [], []) }
            // A revoked token keeps its first revocation time.
            guard token.revokedAt == nil else { return (token, [], []) }
            token.revokedAt = now
            return (token, [.updateToken(token)], [.tokenChange(.revoke, token, at: now, by: actor)])
        }
    }
}
