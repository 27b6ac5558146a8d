import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    /// Called after each committed batch of a rotation with the batch's number (from 1); a test throws from it to
    /// simulate a process killed midway.
    public typealias BatchHook = @Sendable (Int) throws -> Void

    /// How many rows one rotation transaction changes by default: short transactions keep a running server's writes
    /// waiting only briefly.
    public static let defaultRotationBatchSize = 50

    /// Re-wraps every data key not under the ring's primary, in batches of one transaction each, then records the
    /// primary in the check value. Crash-safe: each data key row names the master key that wraps it, so a keyring
    /// holding the old and the new key reads every row at any point, and running this again finishes the job.
    public func rewrapDataKeys(batchSize: Int = defaultRotationBatchSize, afterBatch: BatchHook? = nil) async throws -> RewrapSummary {
        let primary = keyring.ring.primary
        var rewrapped = 0
        var previous: Set<String> = []
        var batch = 0
        while true {
            let ids = try await pool.write { db in try self.rewrapBatch(under: primary, limit: batchSize, db: db) }
            guard !ids.isEmpty else { break }
            rewrapped += ids.count
            previous.formUnion(ids)
            batch += 1
            try afterBatch?(batch)
        }
        // A running server wraps new projects' keys under the primary the database records, so the last sweep and the
        // switch of that record happen in one transaction: no key can be left behind under the old primary.
        let (swept, oldCheckID) = try await pool.write { db in
            let swept = try self.rewrapBatch(under: primary, limit: nil, db: db)
            let oldCheckID = try String.fetchOne(db, sql: "SELECT master_key_id FROM master_key_check WHERE id = 1")
            if oldCheckID != primary.id {
                try db.execute(
                    sql: "UPDATE master_key_check SET check_value = ?, master_key_id = ? WHERE id = 1",
                    arguments: [try primary.makeCheckValue(), primary.id]
                )
            }
            return (swept, oldCheckID)
        }
        previous.formUnion(swept)
        if let oldCheckID, oldCheckID != primary.id { previous.insert(oldCheckID) }
        return RewrapSummary(rewrapped: rewrapped + swept.count, previousKeyIDs: previous.sorted(), primaryKeyID: primary.id)
    }

    /// The ids of the master keys that wrap something: data keys or the check value.
    public func masterKeyIDsInUse() async throws -> Set<String> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT master_key_id FROM data_key UNION SELECT master_key_id FROM master_key_check"))
        }
    }

    /// Re-wraps up to `limit` (nil: all) data keys not under `primary`; returns the master key id each was under.
    private func rewrapBatch(under primary: MasterKey, limit: Int?, db: Database) throws -> [String] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT team_id, project_id, generation, master_key_id FROM data_key WHERE master_key_id <> ?
                ORDER BY team_id, project_id, generation LIMIT ?
                """,
            arguments: [primary.id, limit ?? -1]
        )
        return try rows.map { row in
            let scope = ProjectScope(team: row["team_id"], project: row["project_id"])
            let generation: Int = row["generation"]
            let dataKey = try dataKey(of: scope, generation: generation, in: db)
            let wrapped = try primary.wrap(dataKey, context: .dataKey(team: scope.teamId, project: scope.projectId, generation: generation))
            try db.execute(
                sql: "UPDATE data_key SET wrapped = ?, master_key_id = ? WHERE team_id = ? AND project_id = ? AND generation = ?",
                arguments: [wrapped, primary.id, scope.teamId, scope.projectId, generation]
            )
            return row["master_key_id"]
        }
    }
}
