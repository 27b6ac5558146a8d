import CofferCore
import Foundation
import GRDB

extension SQLiteStore {
    public func isEmpty() async throws -> Bool {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM team") == 0 }
    }

    public func bootstrap(team: Team, token: Token) async throws {
        let actor = AuditActor.current
        try await batcher.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM team WHERE id = ?", arguments: [team.id]) ?? false
            guard !exists else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
            try db.execute(
                sql: "INSERT INTO team (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [team.id, team.name, team.createdAt.millisecondsSinceEpoch]
            )
            try Self.insert(token, db: db)
            try self.appendAudit(.tokenChange(.create, token, at: token.createdAt, by: actor), db: db)
        }
    }

    public func token(hash: Data) async throws -> Token? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM token WHERE secret_hash = ?", arguments: [hash]).map(Self.token(from:))
        }
    }

    public func createToken(_ token: Token) async throws {
        let actor = AuditActor.current
        try await batcher.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM team WHERE id = ?", arguments: [token.teamId]) ?? false else {
                throw StoreError.teamNotFound(token.teamId)
            }
            let taken = try Bool.fetchOne(db, sql: "SELECT 1 FROM token WHERE id = ? OR secret_hash = ?", arguments: [token.id, token.secretHash])
            guard taken != true else { throw StoreError.tokenExists(token.id) }
            try Self.insert(token, db: db)
            try self.appendAudit(.tokenChange(.create, token, at: token.createdAt, by: actor), db: db)
        }
    }

    public func tokens(team teamId: String) async throws -> [Token] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM token WHERE team_id = ? ORDER BY created_at, id", arguments: [teamId]).map(Self.token(from:))
        }
    }

    public func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token? {
        let actor = AuditActor.current
        return try await batcher.write { db in
            try db.execute(
                sql: "UPDATE token SET revoked_at = ? WHERE id = ? AND team_id = ? AND revoked_at IS NULL",
                arguments: [now.millisecondsSinceEpoch, id, teamId]
            )
            let revokedNow = db.changesCount > 0
            let token = try Row.fetchOne(db, sql: "SELECT * FROM token WHERE id = ? AND team_id = ?", arguments: [id, teamId]).map(Self.token(from:))
            if let token, revokedNow { try self.appendAudit(.tokenChange(.revoke, token, at: now, by: actor), db: db) }
            return token
        }
    }

    static func token(from row: Row) throws -> Token {
        Token(
            id: row["id"],
            teamId: row["team_id"],
            name: row["name"],
            secretHash: row["secret_hash"],
            roleName: row["role"],
            projectIds: try (row["project_ids"] as String?).map { try StoredJSON.decode([String].self, from: $0) },
            workload: try (row["workload"] as String?).map { try StoredJSON.decode(WorkloadReference.self, from: $0) },
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
            expiresAt: (row["expires_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        )
    }

    static func insert(_ token: Token, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO token (id, team_id, name, secret_hash, role, project_ids, workload, created_at, expires_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                token.id, token.teamId, token.name, token.secretHash, token.roleName,
                try token.projectIds.map(StoredJSON.encodeString), try token.workload.map(StoredJSON.encodeString),
                token.createdAt.millisecondsSinceEpoch, token.expiresAt?.millisecondsSinceEpoch, token.revokedAt?.millisecondsSinceEpoch,
            ]
        )
    }
}
