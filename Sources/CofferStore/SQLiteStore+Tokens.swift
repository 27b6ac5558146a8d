import CofferCore
import Foundation
import GRDB

extension SQLiteStore {
    public func isEmpty() async throws -> Bool {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM team") == 0 }
    }

    public func bootstrap(team: Team, token: Token) async throws {
        try await pool.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM team WHERE id = ?", arguments: [team.id]) ?? false
            guard !exists else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
            try db.execute(
                sql: "INSERT INTO team (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [team.id, team.name, team.createdAt.millisecondsSinceEpoch]
            )
            try Self.insert(token, db: db)
        }
    }

    public func token(hash: Data) async throws -> Token? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM token WHERE secret_hash = ?", arguments: [hash]).map { row in
                Token(
                    id: row["id"],
                    teamId: row["team_id"],
                    name: row["name"],
                    secretHash: row["secret_hash"],
                    roleName: row["role"],
                    createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
                    expiresAt: (row["expires_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
                    revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
                )
            }
        }
    }

    static func insert(_ token: Token, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO token (id, team_id, name, secret_hash, role, created_at, expires_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                token.id, token.teamId, token.name, token.secretHash, token.roleName, token.createdAt.millisecondsSinceEpoch,
                token.expiresAt?.millisecondsSinceEpoch, token.revokedAt?.millisecondsSinceEpoch,
            ]
        )
    }
}
