import CofferCore
import CofferCrypto
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createWorkload(
        _ definition: WorkloadDefinition,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp
    ) async throws -> Workload {
        let actor = AuditActor.current
        return try await write { connection in
            let keys = try await self.keys(for: scope, on: connection)
            guard try await self.fetchWorkloadRow(id: definition.id, kind: kind, in: scope, forUpdate: false, on: connection) == nil else {
                throw StoreError.workloadExists(definition.id, kind: kind)
            }
            let workload = Workload(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            let sealed = try self.sealedValues(of: workload, in: scope, keys: keys)
            try await connection.execute(
                """
                INSERT INTO workload (team_id, project_id, kind, id, name, tags, stage_id, sealed_values, data_key_generation, version,
                    created_at, updated_at)
                VALUES (\(scope.teamId), \(scope.projectId), \(kind.rawValue), \(workload.id), \(definition.name),
                    \(try StoredJSON.encodeString(definition.tags)), \(definition.stageId), \(sealed), \(keys.currentGeneration),
                    \(workload.version), \(now.millisecondsSinceEpoch), \(now.millisecondsSinceEpoch))
                """,
                logger: self.logger
            )
            try await self.appendAudit(.workloadChange(from: nil, to: workload, in: scope, at: now, by: actor), on: connection)
            return workload
        }
    }

    public func workloads(kind: WorkloadKind?, in scope: ProjectScope) async throws -> [Workload] {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection) else { return [] }
            let rows =
                if let kind {
                    try await connection.rows(
                        """
                        SELECT * FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue)
                        ORDER BY id
                        """,
                        logger: self.logger
                    )
                } else {
                    try await connection.rows(
                        "SELECT * FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY kind DESC, id",
                        logger: self.logger
                    )
                }
            return try rows.map { try self.decodeWorkload($0, in: scope, keys: keys) }
        }
    }

    public func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Workload? {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection),
                let row = try await self.fetchWorkloadRow(id: id, kind: kind, in: scope, forUpdate: false, on: connection)
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
        return try await write { connection in
            let keys = try await self.keys(for: scope, on: connection)
            guard let row = try await self.fetchWorkloadRow(id: id, kind: kind, in: scope, forUpdate: true, on: connection) else {
                throw StoreError.workloadNotFound(id, kind: kind)
            }
            let existing = try self.decodeWorkload(row, in: scope, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return existing }
            let sealed = try self.sealedValues(of: next, in: scope, keys: keys)
            let definition = next.definition
            try await connection.execute(
                """
                UPDATE workload SET name = \(definition.name), tags = \(try StoredJSON.encodeString(definition.tags)),
                    stage_id = \(definition.stageId), sealed_values = \(sealed), data_key_generation = \(keys.currentGeneration),
                    version = \(next.version), created_at = \(next.createdAt.millisecondsSinceEpoch),
                    updated_at = \(next.updatedAt.millisecondsSinceEpoch)
                WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue) AND id = \(id)
                """,
                logger: self.logger
            )
            try await self.appendAudit(.workloadChange(from: existing, to: next, in: scope, at: now, by: actor), on: connection)
            return next
        }
    }

    public func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        return try await write { connection in
            let deleted = try await connection.rows(
                """
                DELETE FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue)
                    AND id = \(id) RETURNING 1
                """,
                logger: self.logger
            )
            guard !deleted.isEmpty else { return false }
            try await self.appendAudit(
                .change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                on: connection
            )
            return true
        }
    }

    func fetchWorkloadRow(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        forUpdate: Bool,
        on connection: PostgresConnection
    ) async throws -> StoredRow? {
        try await fetchRow(of: .workload, kind: kind.rawValue, id: id, in: scope, forUpdate: forUpdate, on: connection)
    }

    func decodeWorkload(_ row: StoredRow, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> Workload {
        guard let kind = WorkloadKind(rawValue: try row["kind"]) else { throw StoreError(.corrupted, "A workload has an unknown kind") }
        let id: String = try row["id"]
        let version: Int = try row["version"]
        let context = SealContext.workloadValues(team: scope.teamId, project: scope.projectId, kind: kind.rawValue, workload: id, version: version)
        let values = try StoredJSON.decode(WorkloadValues.self, from: try keys.open(row, column: "sealed_values", context: context))
        let definition = WorkloadDefinition(
            name: try row["name"],
            tags: try StoredJSON.decode([String].self, from: try row["tags"] as String),
            stageId: try row["stage_id"],
            values: values
        )
        return Workload(
            kind: kind,
            definition: definition,
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: try row["updated_at"])
        )
    }

    /// The workload's values sealed for its id and version under the current data key.
    func sealedValues(of workload: Workload, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> Data {
        let context = SealContext.workloadValues(
            team: scope.teamId,
            project: scope.projectId,
            kind: workload.kind.rawValue,
            workload: workload.id,
            version: workload.version
        )
        return try keys.current().seal(try StoredJSON.encode(workload.definition.values), context: context)
    }
}
