import CofferStore
import Foundation
import GRDB
import PostgresNIO

extension StoreMigration {
    /// The tables whose rows make a database non-empty; `audit_head` and `master_key_check` are written by `open()`.
    package static let dataTables = ["team", "token", "project", "data_key", "secret_group", "group_version", "addon", "workload", "audit_entry"]

    /// Refuses a database that holds tables of something other than Coffer (before anything is written to it), then
    /// opens the target: key check and schema migrations, as a first `coffer serve --database-url` would.
    package func prepareTarget() async throws {
        let tables = try await target.read { connection in
            try await connection.values(
                String.self,
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
                logger: target.logger
            )
        }
        if !tables.isEmpty, !tables.contains("coffer_migrations") {
            throw StoreError(
                .notEmpty,
                "The target database holds tables that are not Coffer's (\(tables.prefix(3).joined(separator: ", "))); migrate into an empty database (nothing was changed)"
            )
        }
        try await target.open()
    }

    /// Locks every table against other writers (a replica starting meanwhile would bootstrap a team) and refuses a
    /// target that holds any record; the transaction, and with it the lock, ends with the copy.
    package func lockEmptyTarget(on connection: PostgresConnection) async throws {
        let tables = (Self.dataTables + ["audit_head", "master_key_check"]).joined(separator: ", ")
        try await connection.execute(PostgresQuery(unsafeSQL: "LOCK TABLE \(tables) IN EXCLUSIVE MODE"), logger: target.logger)
        let counts = Self.dataTables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", ")
        var found: [String] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(counts)"), logger: target.logger) {
            let cells = row.makeRandomAccess()
            for (index, table) in Self.dataTables.enumerated() {
                let count = try cells[index].decode(Int64.self)
                if count > 0 { found.append("\(table) (\(count))") }
            }
        }
        guard found.isEmpty else {
            throw StoreError(
                .notEmpty,
                "The target database is not empty: it holds rows in \(found.joined(separator: ", ")); migrate into an empty database (nothing was changed)"
            )
        }
    }

    /// Refuses a source whose master or data key rotation stopped midway: copied as it is, it would stay half-rotated,
    /// since only the SQLite store finishes rotations. Starting `coffer serve` on it once (or rerunning the rotation)
    /// finishes it.
    package func checkRotationsFinished(in snapshot: DatabaseSnapshot) async throws {
        let (oldGenerations, otherMasterKeys) = try await snapshot.read { db in
            let generations =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM data_key d JOIN project p ON p.team_id = d.team_id AND p.id = d.project_id
                        WHERE d.generation <> p.data_key_generation
                        """
                ) ?? 0
            let masterKeys =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM data_key WHERE master_key_id <> (SELECT master_key_id FROM master_key_check WHERE id = 1)"
                ) ?? 0
            return (generations, masterKeys)
        }
        guard oldGenerations == 0, otherMasterKeys == 0 else {
            throw StoreError(
                .unfinishedRotation,
                "The SQLite store has an unfinished key rotation (\(oldGenerations) old data keys, \(otherMasterKeys) data keys under another master key); "
                    + "start 'coffer serve' on it once, or rerun 'coffer keys rotate', to finish it, then migrate"
            )
        }
    }
}
