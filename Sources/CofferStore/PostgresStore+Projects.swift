import CofferCore
import CofferCrypto
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project {
        let scope = ProjectScope(team: teamId, project: definition.id)
        let project = Project(id: definition.id, teamId: teamId, name: definition.name, description: definition.description, createdAt: now)
        let actor = AuditActor.current
        try await write { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO project (team_id, id, name, description, created_at, data_key_generation)
                VALUES (\(teamId), \(project.id), \(project.name), \(project.description), \(now.millisecondsSinceEpoch), 1)
                ON CONFLICT (team_id, id) DO NOTHING RETURNING 1
                """,
                logger: self.logger
            )
            guard !inserted.isEmpty else { throw StoreError.projectExists(project.id) }
            try await self.insertDataKey(DataKey.generate(), of: scope, generation: 1, on: connection)
            try await self.appendAudit(
                .change(.create, .project, id: project.id, team: teamId, project: project.id, at: now, by: actor),
                on: connection
            )
        }
        dataKeys.forget(scope)
        return project
    }

    public func projects(team teamId: String) async throws -> [Project] {
        try await read { connection in
            try await connection.rows("SELECT * FROM project WHERE team_id = \(teamId) ORDER BY id", logger: self.logger).map(Self.project(from:))
        }
    }

    public func project(_ scope: ProjectScope) async throws -> Project? {
        try await read { connection in
            try await connection.row("SELECT * FROM project WHERE team_id = \(scope.teamId) AND id = \(scope.projectId)", logger: self.logger)
                .map(Self.project(from:))
        }
    }

    public func deleteProject(_ scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        let deleted = try await write { connection in
            let deleted = try await connection.rows(
                "DELETE FROM project WHERE team_id = \(scope.teamId) AND id = \(scope.projectId) RETURNING 1",
                logger: self.logger
            )
            guard !deleted.isEmpty else { return false }
            try await self.appendAudit(
                .change(.delete, .project, id: scope.projectId, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                on: connection
            )
            return true
        }
        dataKeys.forget(scope)
        return deleted
    }

    static func project(from row: StoredRow) throws -> Project {
        Project(
            id: try row["id"],
            teamId: try row["team_id"],
            name: try row["name"],
            description: try row["description"],
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"])
        )
    }
}
