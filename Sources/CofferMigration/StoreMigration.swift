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
        try await target.prepareAsCopyTarget(verb: "migrate")
        let head = try await snapshot.read { db -> (sequence: Int64, hash: Data) in
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1")
            return (last?["sequence"] ?? 0, last?["hash"] ?? Data())
        }
        var report = try await target.copyTables(
            from: { table, offset, limit in try await snapshot.read { db in try table.sqliteRows(db, offset: offset, limit: limit) } },
            auditHead: head,
            verb: "migrate"
        )
        guard report.committed else { return report }
        try await compareOpenedRecords(into: &report)
        return report
    }
}
