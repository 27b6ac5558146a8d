import CofferCore
import CofferPostgres
import CofferSQLite
import CofferStore
import Foundation
import GRDB
import Logging
import PostgresNIO

/// Writes a backup file of a store that may be serving meanwhile: every table `coffer migrate` copies, rows as stored
/// (values still sealed, data keys still wrapped, no master key), from one consistent read: a SQLite snapshot (the
/// write-ahead log lets the server go on writing) or one PostgreSQL `REPEATABLE READ READ ONLY` transaction. Needs no
/// key: it never opens a value.
///
/// The source is read twice inside that one read, first for the header's counts and digests, then for the rows; the
/// file is then read back, checksum and all, and put in place only if every table matches.
public struct StoreBackup: Sendable {
    /// The store to back up.
    public enum Source: Sendable {
        /// The SQLite file of a data directory, which must exist.
        case sqlite(path: String)
        /// A PostgreSQL database holding a Coffer store.
        case postgres(PostgresClient.Configuration)
    }

    public let source: Source
    /// The backup file; `PATH.partial` is written first.
    public let path: String
    let logger: Logger

    public init(from source: Source, to path: String, logger: Logger = Logger(label: "coffer.backup")) {
        self.source = source
        self.path = path
        self.logger = logger
    }

    /// Writes and checks the backup. The report's source side is the store as read, its target side the file as read
    /// back; `committed` says the file was put in place (it is not when anything differs).
    package func run() async throws -> (report: MigrationReport, header: BackupHeader) {
        switch source {
        case .sqlite(let databasePath):
            guard FileManager.default.fileExists(atPath: databasePath) else {
                throw StoreError(.invalidConfiguration, "There is no Coffer database at '\(databasePath)'")
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "coffer.backup"
            let pool = try DatabasePool(path: databasePath, configuration: configuration)
            defer { try? pool.close() }
            let snapshot = try pool.makeSnapshot()
            let schema = try await snapshot.read { db in try Self.sqliteSchema(db) }
            return try await write(source: "sqlite", schema: schema) { table, offset, limit in
                try await snapshot.read { db in try table.sqliteRows(db, offset: offset, limit: limit) }
            }
        case .postgres(let configuration):
            // The pool warns when the first lease comes before `run()` got going, which is harmless here.
            var background = logger
            background.logLevel = max(logger.logLevel, .error)
            let client = PostgresClient(configuration: configuration, backgroundLogger: background)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                return try await client.withConnection { connection in try await backUp(on: connection) }
            }
        }
    }

    /// The backup inside one repeatable-read transaction: every statement sees the database as of its first.
    private func backUp(on connection: PostgresConnection) async throws -> (report: MigrationReport, header: BackupHeader) {
        do {
            return try await connection.withTransaction(logger: logger) { connection in
                try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                let schema = try await Self.postgresSchema(on: connection, logger: logger)
                return try await write(source: "postgres", schema: schema) { table, offset, limit in
                    try await table.postgresRows(on: connection, offset: offset, limit: limit, logger: logger)
                }
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// Both reads, the file and its check.
    private func write(
        source: String,
        schema: String,
        _ read: (_ table: MigratedTable, _ offset: Int, _ limit: Int) async throws -> MigratedTable.Rows
    ) async throws -> (report: MigrationReport, header: BackupHeader) {
        var tables: [BackupHeader.Table] = []
        var digests: [TableDigest] = []
        var keyIDs: Set<String> = []
        for table in MigratedTable.all {
            var digest = TableDigest()
            let keyColumn = table.columns.firstIndex { $0.name == "master_key_id" }
            try await table.forEachPage({ try await read(table, $0, $1) }) { rows in
                digest.add(rows)
                for row in rows {
                    if let keyColumn, case .text(let id) = row[keyColumn] { keyIDs.insert(id) }
                }
            }
            digests.append(digest)
            tables.append(BackupHeader.Table(name: table.name, columns: table.columns.map(\.name), rows: digest.count, digest: digest.hex))
        }
        let header = BackupHeader(
            createdAt: Timestamp.now().rfc3339,
            source: source,
            sourceSchema: schema,
            masterKeyIds: keyIDs.sorted(),
            tables: tables
        )
        let writer = try BackupFileWriter(path: path)
        do {
            try writer.append(line: try header.line())
            for table in MigratedTable.all {
                try await table.forEachPage({ try await read(table, $0, $1) }) { try writer.append($0) }
            }
            try writer.finish()
            let written = try BackupFile(contentsOf: writer.partialPath).digests()
            let kinds = zip(MigratedTable.all, zip(digests, written)).map { table, pair in pair.0.kind(table.name, against: pair.1) }
            let report = MigrationReport(kinds: kinds, committed: kinds.allSatisfy(\.matches))
            if report.committed { try writer.commit() } else { writer.discard() }
            return (report, header)
        } catch {
            writer.discard()
            throw error
        }
    }

    /// The last migration of a SQLite store with the whole schema this version knows; refuses one with less or more.
    private static func sqliteSchema(_ db: Database) throws -> String {
        let known = SQLiteStore.migrator(openingKeyID: "").migrations
        let applied = try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        try checkSchema(applied: applied, known: known, upgrade: "start 'coffer serve' on the data directory once")
        return known.last ?? ""
    }

    /// `sqliteSchema` for a PostgreSQL store.
    private static func postgresSchema(on connection: PostgresConnection, logger: Logger) async throws -> String {
        let exists = try await connection.values(Bool.self, "SELECT to_regclass('coffer_migrations') IS NOT NULL", logger: logger).first == true
        let applied = exists ? try await connection.values(String.self, "SELECT name FROM coffer_migrations", logger: logger) : []
        let known = PostgresStore.migrationNames
        try checkSchema(applied: applied, known: known, upgrade: "start 'coffer serve --database-url' of this version on it once")
        return known.last ?? ""
    }

    private static func checkSchema(applied: [String], known: [String], upgrade: String) throws {
        guard !applied.isEmpty else { throw StoreError(.invalidConfiguration, "The source holds no Coffer store (no schema); nothing was written") }
        let unknown = Set(applied).subtracting(known)
        guard unknown.isEmpty else {
            throw StoreError(
                .invalidConfiguration,
                "The source's schema is newer than this version of Coffer knows (\(unknown.sorted().joined(separator: ", "))); back it up with that version"
            )
        }
        guard Set(known).isSubset(of: applied) else {
            throw StoreError(.invalidConfiguration, "The source's schema is older than this version's: \(upgrade) to update it, then back it up")
        }
    }
}
