import CofferCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func isEmpty() async throws -> Bool {
        try await read { connection in
            try await connection.values(Bool.self, "SELECT NOT EXISTS (SELECT 1 FROM team)", logger: self.logger).first ?? true
        }
    }

    public func bootstrap(team: Team, token: Token) async throws {
        let actor = AuditActor.current
        try await write { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO team (id, name, created_at) VALUES (\(team.id), \(team.name), \(team.createdAt.millisecondsSinceEpoch))
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """,
                logger: self.logger
            )
            guard !inserted.isEmpty else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
            try await self.insert(token, on: connection)
            try await self.appendAudit(.tokenChange(.create, token, at: token.createdAt, by: actor), on: connection)
        }
    }

    public func token(hash: Data) async throws -> Token? {
        try await read { connection in
            try await connection.row("SELECT * FROM token WHERE secret_hash = \(hash)", logger: self.logger).map(Self.token(from:))
        }
    }

    public func createToken(_ token: Token) async throws {
        let actor = AuditActor.current
        try await write { connection in
            let teams = try await connection.rows("SELECT 1 FROM team WHERE id = \(token.teamId) FOR KEY SHARE", logger: self.logger)
            guard !teams.isEmpty else { throw StoreError.teamNotFound(token.teamId) }
            let taken = try await connection.rows(
                "SELECT 1 FROM token WHERE id = \(token.id) OR secret_hash = \(token.secretHash)",
                logger: self.logger
            )
            guard taken.isEmpty else { throw StoreError.tokenExists(token.id) }
            try await self.insert(token, on: connection)
            try await self.appendAudit(.tokenChange(.create, token, at: token.createdAt, by: actor), on: connection)
        }
    }

    public func tokens(team teamId: String) async throws -> [Token] {
        try await read { connection in
            try await connection.rows("SELECT * FROM token WHERE team_id = \(teamId) ORDER BY created_at, id", logger: self.logger)
                .map(Self.token(from:))
        }
    }

    public func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token? {
        let actor = AuditActor.current
        return try await write { connection in
            let revoked = try await connection.rows(
                """
                UPDATE token SET revoked_at = \(now.millisecondsSinceEpoch)
                WHERE id = \(id) AND team_id = \(teamId) AND revoked_at IS NULL RETURNING 1
                """,
                logger: self.logger
            )
            let token = try await connection.row("SELECT * FROM token WHERE id = \(id) AND team_id = \(teamId)", logger: self.logger)
                .map(Self.token(from:))
            if let token, !revoked.isEmpty { try await self.appendAudit(.tokenChange(.revoke, token, at: now, by: actor), on: connection) }
            return token
        }
    }

    static func token(from row: StoredRow) throws -> Token {
        Token(
            id: try row["id"],
            teamId: try row["team_id"],
            name: try row["name"],
            secretHash: try row["secret_hash"],
            roleName: try row["role"],
            projectIds: try (try row["project_ids"] as String?).map { try StoredJSON.decode([String].self, from: $0) },
            workload: try (try row["workload"] as String?).map { try StoredJSON.decode(WorkloadReference.self, from: $0) },
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]),
            expiresAt: (try row["expires_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            revokedAt: (try row["revoked_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        )
    }

    func insert(_ token: Token, on connection: PostgresConnection) async throws {
        let projectIds = try token.projectIds.map(StoredJSON.encodeString)
        let workload = try token.workload.map(StoredJSON.encodeString)
        try await connection.execute(
            """
            INSERT INTO token (id, team_id, name, secret_hash, role, project_ids, workload, created_at, expires_at, revoked_at)
            VALUES (\(token.id), \(token.teamId), \(token.name), \(token.secretHash), \(token.roleName), \(projectIds), \(workload),
                \(token.createdAt.millisecondsSinceEpoch), \(token.expiresAt?.millisecondsSinceEpoch), \(token.revokedAt?.millisecondsSinceEpoch))
            """,
            logger: logger
        )
    }
}
