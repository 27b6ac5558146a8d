import CofferCore
import CofferCrypto
import CofferPostgres
import CofferSQLite
import CofferStore
import Foundation
import GRDB

/// Brings a backup file (see `StoreBackup`) into an empty store of either kind, verified as `coffer migrate` verifies.
///
/// Before the target is touched, the file is checked whole (checksum, header, every row against the header's digests)
/// and the master key must open the backup's check value and every data key: the backup holds no key, so the key of
/// the store it was taken from has to be given. Then all rows go in in one transaction that reads every table back and
/// commits only if each count and digest matches the file's; afterwards every record is read through the restored
/// store with its values opened.
public struct StoreRestore: Sendable {
    /// The empty store to restore into.
    public enum Target: Sendable {
        /// A data directory's SQLite file, made if missing; the keyring must open the backup.
        case sqlite(path: String, keyring: MasterKeyring)
        /// A running PostgreSQL store on an empty database; the restore opens it (schema migrations) itself.
        case postgres(PostgresStore)
    }

    public let path: String
    public let target: Target

    public init(from path: String, into target: Target) {
        self.path = path
        self.target = target
    }

    /// Checks, restores and reports: the source side is the file, the target side the store as read back. Throws for a
    /// corrupted or truncated file, a key that does not open it, or a target that holds data (`notEmpty`), each with
    /// the target left as it was; a digest mismatch is reported (`committed` false), the transaction rolled back.
    package func run() async throws -> (report: MigrationReport, header: BackupHeader) {
        let backup = try BackupFile(contentsOf: path)
        _ = try backup.verifiedDigests()
        switch target {
        case .sqlite(let databasePath, let keyring):
            try Self.checkKeys(of: backup, against: keyring)
            var (report, store) = try await restore(backup, intoSQLiteAt: databasePath, keyring: keyring)
            defer { try? store.close() }
            if report.committed { try await Self.openEveryRecord(in: store, of: backup, into: &report) }
            return (report, backup.header)
        case .postgres(let store):
            try Self.checkKeys(of: backup, against: store.codec.keyring.ring)
            try await store.prepareAsCopyTarget(verb: "restore")
            var report = try await store.copyTables(
                from: { table, offset, limit in try backup.rows(of: table, offset: offset, limit: limit) },
                auditHead: try backup.auditHead(),
                verb: "restore"
            )
            if report.committed { try await Self.openEveryRecord(in: store, of: backup, into: &report) }
            return (report, backup.header)
        }
    }

    /// Refuses, before anything is written, a keyring that does not open the backup's check value or one of its data keys.
    static func checkKeys(of backup: BackupFile, against keyring: MasterKeyring) throws {
        let refusal = "; pass the master key of the store the backup was taken from (--master-key-file or COFFER_MASTER_KEY); nothing was changed"
        let ids = backup.header.masterKeyIds.joined(separator: ", ")
        let check = MigratedTable.named("master_key_check")
        for row in try backup.rows(of: check) {
            guard case .blob(let value) = row[check.index(of: "check_value")] else { continue }
            guard keyring.keys.contains(where: { (try? $0.verify(checkValue: value)) != nil }) else {
                throw StoreError(
                    .masterKeyMismatch,
                    "The master key does not open this backup (its data keys are wrapped by master key id \(ids))\(refusal)"
                )
            }
        }
        let dataKeys = MigratedTable.named("data_key")
        for row in try backup.rows(of: dataKeys) {
            guard case .text(let team) = row[0], case .text(let project) = row[1], case .integer(let generation) = row[2],
                case .blob(let wrapped) = row[3], case .text(let id) = row[4]
            else { throw BackupFileError.corrupted(backup.path, "a data key row is incomplete") }
            let scope = ProjectScope(team: team, project: project)
            let dataKey = DataKeyRow(scope: scope, generation: Int(generation), wrapped: wrapped, masterKeyID: id)
            guard let masterKey = keyring.key(id: id), (try? masterKey.unwrap(wrapped, context: dataKey.wrapContext)) != nil else {
                throw StoreError(
                    .masterKeyMismatch,
                    "The master key does not open the data key of project '\(project)' (master key id \(id))\(refusal)"
                )
            }
        }
    }

    /// Into a SQLite file: refused if it holds records; a file this call made is removed again if the restore fails.
    private func restore(
        _ backup: BackupFile,
        intoSQLiteAt databasePath: String,
        keyring: MasterKeyring
    ) async throws -> (MigrationReport, SQLiteStore) {
        let existed = FileManager.default.fileExists(atPath: databasePath)
        if existed {
            // Read-only first: opening the store would apply migrations to a store that is then refused.
            let queue = try DatabaseQueue(path: databasePath, configuration: Self.readOnly)
            try await queue.read { db in try Self.refuseNonEmpty(db) }
            try queue.close()
        }
        var store: SQLiteStore?
        do {
            let opened = try SQLiteStore(path: databasePath, keyring: keyring)
            store = opened
            let report: MigrationReport
            do {
                report = try await opened.pool.write { db in try Self.copy(backup, into: db) }
            } catch let mismatch as DigestMismatch {
                report = mismatch.report
            }
            if !report.committed, !existed { Self.remove(databasePath, closing: opened) }
            return (report, opened)
        } catch {
            if !existed { Self.remove(databasePath, closing: store) }
            throw error
        }
    }

    /// Every table from the file inside the write transaction, read back; thrown `DigestMismatch` rolls it back.
    private static func copy(_ backup: BackupFile, into db: Database) throws -> MigrationReport {
        try refuseNonEmpty(db)
        var kinds: [MigrationReport.Kind] = []
        for table in MigratedTable.all {
            if table.name == "master_key_check" {
                // Opening the new store recorded a check value of the given key; the backup's replaces it.
                try db.execute(sql: "DELETE FROM master_key_check")
            }
            var source = TableDigest()
            try table.forEachPage({ try backup.rows(of: table, offset: $0, limit: $1) }) { rows in
                try table.insert(rows, into: db)
                source.add(rows)
            }
            let target = try TableDigest.of(table) { try table.sqliteRows(db, offset: $0, limit: $1) }
            kinds.append(source.kind(table.name, against: target))
        }
        let report = MigrationReport(kinds: kinds, committed: kinds.allSatisfy(\.matches))
        guard report.committed else { throw DigestMismatch(report: report) }
        return report
    }

    private static func refuseNonEmpty(_ db: Database) throws {
        var found: [String] = []
        for table in MigratedTable.dataTables where try db.tableExists(table) {
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            if count > 0 { found.append("\(table) (\(count))") }
        }
        guard found.isEmpty else { throw StoreError.notEmpty("data directory", holding: found, verb: "restore") }
    }

    private static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// Removes a database file this restore made, with its write-ahead log and shared memory.
    private static func remove(_ databasePath: String, closing store: SQLiteStore?) {
        try? store?.close()
        for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
    }

    /// Reads every record of the restored store with its values opened; a failure means the restore must not be used.
    private static func openEveryRecord(in store: any SecretStore, of backup: BackupFile, into report: inout MigrationReport) async throws {
        let teams = try backup.rows(of: .named("team")).compactMap { row -> String? in if case .text(let id) = row[0] { id } else { nil } }
        let versions = try backup.rows(of: .named("group_version")).compactMap { row -> OpenedRecordCheck.VersionKey? in
            guard case .text(let team) = row[0], case .text(let project) = row[1], case .text(let group) = row[2], case .integer(let version) = row[3]
            else { return nil }
            return OpenedRecordCheck.VersionKey(scope: ProjectScope(team: team, project: project), groupId: group, version: Int(version))
        }
        var check = OpenedRecordCheck(store: store)
        do {
            try await check.run(teams: teams, versions: versions)
        } catch {
            throw StoreError(.corrupted, "The backup was restored, but a record does not open in the restored store (\(error)); do not use it")
        }
        report.openedRecords = check.opened
    }
}
