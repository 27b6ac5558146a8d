import CofferCore
import CofferCrypto
import CofferPostgres
import CofferSQLite
import CofferStore
import Foundation
import GRDB
import Logging
import PostgresNIO

/// Moves an embedded SQLite store into an empty PostgreSQL database, row for row: ids, versions, timestamps, token
/// hashes, the audit chain and the data keys (still wrapped, so the same master key opens both stores and no value is
/// decrypted or re-sealed to copy it; sealed values are bound to project, id and version, never to the store).
///
/// All-or-nothing: the copy is one PostgreSQL transaction that checks, before it commits, that every table reads back
/// with the source's count and digest; killed or refused, it leaves the target without data and can be run again.
public struct StoreMigration: Sendable {
    package let source: SQLiteStore
    package let target: PostgresStore

    /// `target` must be running (`run()`); the migration opens it (schema migrations) itself.
    public init(from source: SQLiteStore, to target: PostgresStore) {
        self.source = source
        self.target = target
    }

    /// Copies, verifies and reports. Throws `notEmpty` for a target that holds data (left unchanged) and
    /// `unfinishedRotation` for a source whose key rotation stopped midway; a digest mismatch is reported, not thrown.
    public func run() async throws -> MigrationReport {
        // One read transaction for the whole copy: a consistent source even if something writes to it meanwhile.
        let snapshot = try source.pool.makeSnapshot()
        try await checkRotationsFinished(in: snapshot)
        try await prepareTarget()
        var report: MigrationReport
        do {
            report = try await target.client.withTransaction(logger: target.logger) { connection in
                try await lockEmptyTarget(on: connection)
                let report = try await copy(from: snapshot, to: connection)
                // Thrown to roll the copy back; caught below and returned.
                guard report.kinds.allSatisfy(\.matches) else { throw DigestMismatch(report: report) }
                return report
            }
        } catch let error as PostgresTransactionError {
            let underlying = error.closureError ?? error.commitError ?? error.beginError ?? error
            if let mismatch = underlying as? DigestMismatch { return mismatch.report }
            throw underlying
        }
        try await compareOpenedRecords(into: &report)
        return report
    }

    /// Copies every table in foreign key order and reads each back inside the same transaction.
    private func copy(from snapshot: DatabaseSnapshot, to connection: PostgresConnection) async throws -> MigrationReport {
        var kinds: [MigrationReport.Kind] = []
        for table in MigratedTable.all {
            if table.name == "master_key_check" {
                // `open()` recorded a check value of its own for the empty database; the source's replaces it.
                try await connection.execute("DELETE FROM master_key_check", logger: target.logger)
            }
            var sourceDigest = TableDigest()
            var offset = 0
            while true {
                let start = offset
                let rows = try await snapshot.read { db in try table.sqliteRows(db, offset: start, limit: table.pageSize) }
                try await table.insert(rows, on: connection, logger: target.logger)
                sourceDigest.add(rows)
                offset += rows.count
                if rows.count < table.pageSize { break }
            }
            let targetDigest = try await digest(of: table, on: connection)
            kinds.append(sourceDigest.kind(table.name, against: targetDigest))
        }
        kinds.append(try await copyAuditHead(from: snapshot, on: connection))
        return MigrationReport(kinds: kinds, committed: true)
    }

    /// The digest of `table` as the target's transaction sees it.
    private func digest(of table: MigratedTable, on connection: PostgresConnection) async throws -> TableDigest {
        var digest = TableDigest()
        var offset = 0
        while true {
            let rows = try await table.postgresRows(on: connection, offset: offset, limit: table.pageSize, logger: target.logger)
            digest.add(rows)
            offset += rows.count
            if rows.count < table.pageSize { return digest }
        }
    }

    /// Points the target's `audit_head` (the row new entries link after) at the last copied entry, so the chain goes
    /// on from the same hash; compared as its own kind against the source's last entry.
    private func copyAuditHead(from snapshot: DatabaseSnapshot, on connection: PostgresConnection) async throws -> MigrationReport.Kind {
        let (sequence, hash) = try await snapshot.read { db -> (Int64, Data) in
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1")
            return (last?["sequence"] ?? 0, last?["hash"] ?? Data())
        }
        try await connection.execute("UPDATE audit_head SET sequence = \(sequence), hash = \(hash) WHERE id = 1", logger: target.logger)
        var sourceDigest = TableDigest()
        sourceDigest.add([[.integer(sequence), .blob(hash)]])
        var targetDigest = TableDigest()
        for row in try await connection.rows("SELECT sequence, hash FROM audit_head WHERE id = 1", logger: target.logger) {
            targetDigest.add([[.integer(try row["sequence"]), .blob(try row["hash"])]])
        }
        return sourceDigest.kind("audit_head", against: targetDigest)
    }

    /// Carries a mismatched report out of the transaction it rolls back.
    private struct DigestMismatch: Error {
        let report: MigrationReport
    }
}
