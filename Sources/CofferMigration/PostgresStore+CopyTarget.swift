import CofferPostgres
import CofferStore
import Foundation
import Logging
import PostgresNIO

/// An empty PostgreSQL database filled with every table's rows in one transaction: what `coffer migrate` and
/// `coffer restore --database-url` share. `verb` names the command in its refusals.
extension PostgresStore {
    /// Refuses a database that holds tables of something other than Coffer (before anything is written to it), then
    /// opens it: key check and schema migrations, as a first `coffer serve --database-url` would.
    package func prepareAsCopyTarget(verb: String) async throws {
        let tables = try await read { connection in
            try await connection.values(
                String.self,
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
                logger: self.logger
            )
        }
        if !tables.isEmpty, !tables.contains("coffer_migrations") {
            throw StoreError(
                .notEmpty,
                "The target database holds tables that are not Coffer's (\(tables.prefix(3).joined(separator: ", "))); \(verb) into an empty database (nothing was changed)"
            )
        }
        try await open()
    }

    /// Copies every table's rows from `read` in foreign key order in one transaction that first locks the tables and
    /// refuses a target holding any record (`notEmpty`), reads each table back, and commits only if every count and
    /// digest matches; otherwise it rolls back and returns the report with `committed` false. `auditHead` is the last
    /// copied entry's sequence and hash, which new entries link after.
    package func copyTables(
        from read: (_ table: MigratedTable, _ offset: Int, _ limit: Int) async throws -> MigratedTable.Rows,
        auditHead: (sequence: Int64, hash: Data),
        verb: String
    ) async throws -> MigrationReport {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await lockEmpty(on: connection, verb: verb)
                var kinds: [MigrationReport.Kind] = []
                for table in MigratedTable.all {
                    if table.name == "master_key_check" {
                        // `open()` recorded a check value of its own for the empty database; the source's replaces it.
                        try await connection.execute("DELETE FROM master_key_check", logger: logger)
                    }
                    var source = TableDigest()
                    try await table.forEachPage({ try await read(table, $0, $1) }) { rows in
                        try await table.insert(rows, on: connection, logger: logger)
                        source.add(rows)
                    }
                    let target = try await TableDigest.of(table) { offset, limit in
                        try await table.postgresRows(on: connection, offset: offset, limit: limit, logger: logger)
                    }
                    kinds.append(source.kind(table.name, against: target))
                }
                kinds.append(try await setAuditHead(auditHead, on: connection))
                let report = MigrationReport(kinds: kinds, committed: kinds.allSatisfy(\.matches))
                // Thrown to roll the copy back; caught below and returned.
                guard report.committed else { throw DigestMismatch(report: report) }
                return report
            }
        } catch let error as PostgresTransactionError {
            let underlying = error.closureError ?? error.commitError ?? error.beginError ?? error
            if let mismatch = underlying as? DigestMismatch { return mismatch.report }
            throw underlying
        }
    }

    /// Locks every table against other writers (a replica starting meanwhile would bootstrap a team) and refuses a
    /// target that holds any record; the transaction, and with it the lock, ends with the copy.
    private func lockEmpty(on connection: PostgresConnection, verb: String) async throws {
        let tables = (MigratedTable.dataTables + ["audit_head", "master_key_check"]).joined(separator: ", ")
        try await connection.execute(PostgresQuery(unsafeSQL: "LOCK TABLE \(tables) IN EXCLUSIVE MODE"), logger: logger)
        let counts = MigratedTable.dataTables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", ")
        var found: [String] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(counts)"), logger: logger) {
            let cells = row.makeRandomAccess()
            for (index, table) in MigratedTable.dataTables.enumerated() {
                let count = try cells[index].decode(Int64.self)
                if count > 0 { found.append("\(table) (\(count))") }
            }
        }
        guard found.isEmpty else { throw StoreError.notEmpty("database", holding: found, verb: verb) }
    }

    /// Points `audit_head` (the row new entries link after) at the last copied entry, so the chain goes on from the
    /// same hash; compared as its own kind against what the source says it is.
    private func setAuditHead(_ head: (sequence: Int64, hash: Data), on connection: PostgresConnection) async throws -> MigrationReport.Kind {
        try await connection.execute("UPDATE audit_head SET sequence = \(head.sequence), hash = \(head.hash) WHERE id = 1", logger: logger)
        var source = TableDigest()
        source.add([[.integer(head.sequence), .blob(head.hash)]])
        var target = TableDigest()
        for row in try await connection.rows("SELECT sequence, hash FROM audit_head WHERE id = 1", logger: logger) {
            target.add([[.integer(try row["sequence"]), .blob(try row["hash"])]])
        }
        return source.kind("audit_head", against: target)
    }

}

/// Carries a mismatched report out of the transaction it rolls back.
package struct DigestMismatch: Error {
    package let report: MigrationReport
}

extension StoreError {
    /// A copy's target that holds records; `found` names each table with its count.
    package static func notEmpty(_ target: String, holding found: [String], verb: String) -> StoreError {
        StoreError(
            .notEmpty,
            "The target \(target) is not empty: it holds rows in \(found.joined(separator: ", ")); \(verb) into an empty \(target) (nothing was changed)"
        )
    }
}
