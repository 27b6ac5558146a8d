import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    public func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project {
        let scope = ProjectScope(team: teamId, project: definition.id)
        let project = Project(id: definition.id, teamId: teamId, name: definition.name, description: definition.description, createdAt: now)
        let actor = AuditActor.current
        try await batcher.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM project WHERE team_id = ? AND id = ?", arguments: [teamId, project.id]) ?? false
            guard !exists else { throw StoreError.projectExists(project.id) }
            try db.execute(
                sql: """
                    INSERT INTO project (team_id, id, name, description, created_at, data_key_generation)
                    VALUES (?, ?, ?, ?, ?, 1)
                    """,
                arguments: [teamId, project.id, project.name, project.description, now.millisecondsSinceEpoch]
            )
            try self.insertDataKey(DataKey.generate(), of: scope, generation: 1, in: db)
            try self.appendAudit(.change(.create, .project, id: project.id, team: teamId, project: project.id, at: now, by: actor), db: db)
        }
        dataKeys.forget(scope)
        return project
    }

    public func projects(team teamId: String) async throws -> [Project] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM project WHERE team_id = ? ORDER BY id", arguments: [teamId]).map(Self.project(from:))
        }
    }

    public func project(_ scope: ProjectScope) async throws -> Project? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM project WHERE team_id = ? AND id = ?", arguments: [scope.teamId, scope.projectId])
                .map(Self.project(from:))
        }
    }

    public func deleteProject(_ scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        let deleted = try await batcher.write { db in
            try db.execute(sql: "DELETE FROM project WHERE team_id = ? AND id = ?", arguments: [scope.teamId, scope.projectId])
            guard db.changesCount > 0 else { return false }
            try self.appendAudit(
                .change(.delete, .project, id: scope.projectId, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                db: db
            )
            return true
        }
        dataKeys.forget(scope)
        return deleted
    }

    static func project(from row: Row) -> Project {
        Project(
            id: row["id"],
            teamId: row["team_id"],
            name: row["name"],
            description: row["description"],
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"])
        )
    }
}
