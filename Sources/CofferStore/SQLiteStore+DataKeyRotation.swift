import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    /// Gives each project (or only `scope`) a fresh data key, then re-seals every value under it and deletes the keys
    /// no row uses any more. The new generation becomes current in the transaction that creates it, so writes made
    /// meanwhile seal under it; re-sealing keeps each row's version, so ETags and associated data do not change.
    /// Killed midway, rows are mixed but each names its generation; running this again finishes.
    public func rotateDataKeys(
        in scope: ProjectScope? = nil,
        batchSize: Int = defaultRotationBatchSize,
        afterBatch: BatchHook? = nil
    ) async throws -> [ResealSummary] {
        var batches = 0
        var summaries: [ResealSummary] = []
        for scope in try await projectScopes(only: scope) {
            let started = try await pool.write { db in try self.startGeneration(of: scope, db: db) }
            guard started else { continue }  // deleted meanwhile
            if let summary = try await finishDataKeyRotation(of: scope, batchSize: batchSize, batches: &batches, afterBatch: afterBatch) {
                summaries.append(summary)
            }
        }
        return summaries
    }

    /// Finishes rotations that stopped midway: re-seals values under non-current generations and deletes unused keys.
    /// Returns a summary for each project that had something left to do.
    public func finishDataKeyRotations(batchSize: Int = defaultRotationBatchSize) async throws -> [ResealSummary] {
        let scopes = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT d.team_id, d.project_id FROM data_key d JOIN project p ON p.team_id = d.team_id AND p.id = d.project_id
                    WHERE d.generation <> p.data_key_generation ORDER BY d.team_id, d.project_id
                    """
            ).map { ProjectScope(team: $0["team_id"], project: $0["project_id"]) }
        }
        var batches = 0
        var summaries: [ResealSummary] = []
        for scope in scopes {
            if let summary = try await finishDataKeyRotation(of: scope, batchSize: batchSize, batches: &batches, afterBatch: nil) {
                summaries.append(summary)
            }
        }
        return summaries
    }

    private func projectScopes(only scope: ProjectScope?) async throws -> [ProjectScope] {
        if let scope {
            guard try await project(scope) != nil else { throw StoreError.projectNotFound(scope) }
            return [scope]
        }
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT team_id, id FROM project ORDER BY team_id, id").map {
                ProjectScope(team: $0["team_id"], project: $0["id"])
            }
        }
    }

    /// Creates generation g+1 (one past the highest ever kept) and makes it current; false if the project is gone.
    private func startGeneration(of scope: ProjectScope, db: Database) throws -> Bool {
        guard try existingKeys(for: scope, in: db) != nil else { return false }
        let highest = try Int.fetchOne(
            db,
            sql: "SELECT MAX(generation) FROM data_key WHERE team_id = ? AND project_id = ?",
            arguments: [scope.teamId, scope.projectId]
        )
        let generation = (highest ?? 0) + 1
        try insertDataKey(DataKey.generate(), of: scope, generation: generation, in: db)
        try db.execute(
            sql: "UPDATE project SET data_key_generation = ? WHERE team_id = ? AND id = ?",
            arguments: [generation, scope.teamId, scope.projectId]
        )
        return true
    }

    private func finishDataKeyRotation(
        of scope: ProjectScope,
        batchSize: Int,
        batches: inout Int,
        afterBatch: BatchHook?
    ) async throws -> ResealSummary? {
        var resealed = 0
        while true {
            let count = try await pool.write { db in try self.resealBatch(of: scope, limit: batchSize, db: db) }
            guard count > 0 else { break }
            resealed += count
            batches += 1
            try afterBatch?(batches)
        }
        let total = resealed
        return try await pool.write { db in
            guard let keys = try self.existingKeys(for: scope, in: db) else { return nil }
            let deleted = try self.deleteUnusedDataKeys(of: scope, current: keys.currentGeneration, db: db)
            return ResealSummary(scope: scope, generation: keys.currentGeneration, resealed: total, deletedKeys: deleted)
        }
    }

    /// Re-seals up to `limit` rows still under an older generation, reading each inside the transaction and keeping
    /// its version; returns how many.
    private func resealBatch(of scope: ProjectScope, limit: Int, db: Database) throws -> Int {
        guard let keys = try existingKeys(for: scope, in: db) else { return 0 }
        let current = try keys.current()
        var count = 0
        for table in SealedTable.all where count < limit {
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT rowid, * FROM \(table.name) WHERE team_id = ? AND project_id = ? AND data_key_generation <> ? LIMIT ?",
                arguments: [scope.teamId, scope.projectId, keys.currentGeneration, limit - count]
            )
            for row in rows {
                let context = table.context(row, scope)
                let sealed = try current.seal(try keys.open(row, column: table.column, context: context), context: context)
                try db.execute(
                    sql: "UPDATE \(table.name) SET \(table.column) = ?, data_key_generation = ? WHERE rowid = ?",
                    arguments: [sealed, keys.currentGeneration, row["rowid"] as Int64]
                )
            }
            count += rows.count
        }
        return count
    }

    private func deleteUnusedDataKeys(of scope: ProjectScope, current: Int, db: Database) throws -> Int {
        let unused = SealedTable.all.map { table in
            """
            NOT EXISTS (SELECT 1 FROM \(table.name) t WHERE t.team_id = data_key.team_id AND t.project_id = data_key.project_id
                AND t.data_key_generation = data_key.generation)
            """
        }
        try db.execute(
            sql: "DELETE FROM data_key WHERE team_id = ? AND project_id = ? AND generation <> ? AND "
                + unused.joined(separator: " AND "),
            arguments: [scope.teamId, scope.projectId, current]
        )
        dataKeys.forget(scope)
        return db.changesCount
    }
}
