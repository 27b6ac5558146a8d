import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    public func createWorkload(
        _ definition: WorkloadDefinition,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp
    ) async throws -> Workload {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard try self.fetchWorkloadRow(id: definition.id, kind: kind, in: scope, db: db) == nil else {
                throw StoreError.workloadExists(definition.id, kind: kind)
            }
            let workload = Workload(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            try db.execute(
                sql: """
                    INSERT INTO workload (name, tags, stage_id, sealed_values, data_key_generation, version, created_at, updated_at, team_id,
                        project_id, kind, id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try self.columns(of: workload, in: scope, keys: keys)
            )
            try self.appendAudit(.workloadChange(from: nil, to: workload, in: scope, at: now, by: actor), db: db)
            return workload
        }
    }

    public func workloads(kind: WorkloadKind?, in scope: ProjectScope) async throws -> [Workload] {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db) else { return [] }
            let rows =
                if let kind {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? ORDER BY id",
                        arguments: [scope.teamId, scope.projectId, kind.rawValue]
                    )
                } else {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? ORDER BY kind DESC, id",
                        arguments: [scope.teamId, scope.projectId]
                    )
                }
            return try rows.map { try self.decodeWorkload($0, in: scope, keys: keys) }
        }
    }

    public func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Workload? {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db),
                let row = try self.fetchWorkloadRow(id: id, kind: kind, in: scope, db: db)
            else { return nil }
            return try self.decodeWorkload(row, in: scope, keys: keys)
        }
    }

    public func updateWorkload(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (WorkloadDefinition) throws -> WorkloadDefinition
    ) async throws -> Workload {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard let row = try self.fetchWorkloadRow(id: id, kind: kind, in: scope, db: db) else {
                throw StoreError.workloadNotFound(id, kind: kind)
            }
            let existing = try self.decodeWorkload(row, in: scope, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return existing }
            try db.execute(
                sql: """
                    UPDATE workload SET name = ?, tags = ?, stage_id = ?, sealed_values = ?, data_key_generation = ?, version = ?, created_at = ?,
                        updated_at = ?
                    WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?
                    """,
                arguments: try self.columns(of: next, in: scope, keys: keys)
            )
            try self.appendAudit(.workloadChange(from: existing, to: next, in: scope, at: now, by: actor), db: db)
            return next
        }
    }

    public func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        return try await batcher.write { db in
            try db.execute(
                sql: "DELETE FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                arguments: [scope.teamId, scope.projectId, kind.rawValue, id]
            )
            guard db.changesCount > 0 else { return false }
            try self.appendAudit(
                .change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                db: db
            )
            return true
        }
    }

    func fetchWorkloadRow(id: String, kind: WorkloadKind, in scope: ProjectScope, db: Database) throws -> Row? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
            arguments: [scope.teamId, scope.projectId, kind.rawValue, id]
        )
    }

    func decodeWorkload(_ row: Row, in scope: ProjectScope, keys: ProjectKeys) throws -> Workload {
        guard let kind = WorkloadKind(rawValue: row["kind"]) else { throw StoreError(.corrupted, "A workload has an unknown kind") }
        let id: String = row["id"]
        let version: Int = row["version"]
        let context = SealContext.workloadValues(team: scope.teamId, project: scope.projectId, kind: kind.rawValue, workload: id, version: version)
        let values = try StoredJSON.decode(WorkloadValues.self, from: try keys.open(row, column: "sealed_values", context: context))
        let definition = WorkloadDefinition(
            name: row["name"],
            tags: try StoredJSON.decode([String].self, from: row["tags"] as String),
            stageId: row["stage_id"],
            values: values
        )
        return Workload(
            kind: kind,
            definition: definition,
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: row["updated_at"])
        )
    }

    /// Column values of a workload in the order INSERT and UPDATE list them, its values sealed for its id and version.
    func columns(of workload: Workload, in scope: ProjectScope, keys: ProjectKeys) throws -> StatementArguments {
        let context = SealContext.workloadValues(
            team: scope.teamId,
            project: scope.projectId,
            kind: workload.kind.rawValue,
            workload: workload.id,
            version: workload.version
        )
        let sealed = try keys.current().seal(try StoredJSON.encode(workload.definition.values), context: context)
        let definition = workload.definition
        return [
            definition.name, try StoredJSON.encodeString(definition.tags), definition.stageId, sealed, keys.currentGeneration, workload.version,
            workload.createdAt.millisecondsSinceEpoch, workload.updatedAt.millisecondsSinceEpoch, scope.teamId, scope.projectId,
            workload.kind.rawValue, workload.id,
        ]
    }
}
