import ArgumentParser
import CofferMigration
import CofferPostgres
import CofferRuntime
import CofferServer
import CofferStore
import Foundation

/// `coffer backup`: a consistent snapshot of a store, taken while it serves, into one file; sealed as stored, no key in it.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent snapshot of a store into a file, while it serves: values sealed as stored, no key in it.",
        usage: "coffer backup --to <file> (--data-dir <dir> | --database-url <url>) [--database-tls-ca-file <file>]",
        discussion: """
            Writes every table 'coffer migrate' copies as it is stored: teams, tokens (their hashes), projects, data \
            keys (still wrapped by the master key), secret groups with their history, addons, workloads and the audit \
            log. Values stay sealed and the file holds no master key, only the ids of the keys that wrap its data keys: \
            'coffer restore --from' needs the key, so keep it apart from the backups.

            Safe while servers run: a data directory is read from one SQLite snapshot (the write-ahead log lets the \
            server go on writing), a database in one REPEATABLE READ READ ONLY transaction, so the file is one moment. \
            It is written as FILE.partial (readable by its owner only), read back and checked, then renamed over FILE; \
            each kind's row count and SHA-256 over its rows are printed for the store and the file, and the command \
            exits 1 (FILE left as it was) if anything differs. No master key is needed to take a backup.

            The file: a line 'coffer-backup 1 {...}' (JSON: when, the source's kind and schema, the master key ids, each \
            table's columns, row count and digest), one JSON array per row (bytes in base64), and 'checksum <hex>', the \
            SHA-256 of everything before that line ('head -n -1 FILE | sha256sum' prints the same).

            Example:
              coffer backup --data-dir ./coffer-data --to /backups/coffer-$(date +%F).backup
              coffer backup --database-url 'postgres://coffer@db:5432/coffer?sslmode=verify-full' --to coffer.backup
            """
    )

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp("The backup file to write (an existing backup there is replaced once the new one is complete).", valueName: "file")
    )
    var file: String

    @OptionGroup(title: "The store to back up") var store: BackupStoreOptions

    func validate() throws {
        try store.requireOne()
    }

    func run() async throws {
        try await reportingStoreFailures {
            let source: StoreBackup.Source
            let name: String
            if let url = try store.database() {
                source = .postgres(url.clientConfiguration())
                name = url.description
            } else {
                let directory = try DataDirectory(existingPath: store.dataDirectory ?? "")
                source = .sqlite(path: directory.databasePath)
                name = directory.path
            }
            let (report, header) = try await StoreBackup(from: source, to: file, logger: StoreOptions.quietLogger).run()
            var lines = MigrateCommand.kindLines(report)
            if report.isVerified {
                let keys = header.masterKeyIds.joined(separator: ", ")
                lines.append(
                    "Backed up \(name) into \(file) as of \(header.createdAt): every count and digest matches; "
                        + "no key in it (data keys wrapped by master key id \(keys))."
                )
            } else {
                lines.append("The file does not match the store; it was removed and \(file) is left as it was.")
            }
            print(lines.joined(separator: "\n"))
            if !report.isVerified { throw ExitCode.failure }
        }
    }
}

/// `coffer restore --from FILE`: the options of the restore command itself (its subcommands restore one resource).
struct RestoreFromBackup: ParsableArguments {
    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("A file 'coffer backup' wrote; checked whole (checksum, header, digests) before anything is written.", valueName: "file")
    )
    var file: String?

    @OptionGroup(title: "The empty store to restore into") var store: BackupStoreOptions

    @Option(
        name: .customLong("master-key-file"),
        help: ArgumentHelp(
            "The master key of the store the backup was taken from (default: COFFER_MASTER_KEY, else DATA_DIR/master.key); the backup holds none.",
            valueName: "file"
        )
    )
    var masterKeyFile: String?

    func validate() throws {
        guard file != nil else {
            if store.dataDirectory != nil || store.databaseURL != nil || store.databaseTLSCAFile != nil || masterKeyFile != nil {
                throw ValidationError("Pass --from FILE: the backup to restore")
            }
            return
        }
        try store.requireOne()
    }

    func run() async throws {
        guard let file else { return }
        try await reportingStoreFailures {
            let environment = ProcessInfo.processInfo.environment
            let masterKey = StoreOptions.masterKeySource(file: masterKeyFile, environment: environment)
            let (report, header, name) =
                if let databaseURL = store.databaseURL {
                    try await restore(file, into: databaseURL, masterKey: masterKey)
                } else {
                    try await restore(file, intoDataDirectory: store.dataDirectory ?? "", masterKey: masterKey)
                }
            var lines = MigrateCommand.kindLines(report)
            if !report.committed {
                lines.append("The restored rows do not match the backup; the restore was rolled back and \(name) is left empty.")
            } else {
                lines.append(
                    "Restored \(file) (a \(header.source) store as of \(header.createdAt)) into \(name): every count and digest matches; "
                        + "\(report.openedRecords) records opened with the master key. Serve it with the same key."
                )
            }
            print(lines.joined(separator: "\n"))
            if !report.isVerified { throw ExitCode.failure }
        }
    }

    /// Into a data directory, made if missing and removed again (if still empty) when the restore fails. Its own
    /// `master.key` is used only if present: no key is generated, since only the backed-up store's key opens the backup.
    private func restore(
        _ file: String,
        intoDataDirectory path: String,
        masterKey: ServerConfiguration.MasterKeySource
    ) async throws -> (MigrationReport, BackupHeader, String) {
        let existed = FileManager.default.fileExists(atPath: path)
        if case .dataDirectory = masterKey, !FileManager.default.fileExists(atPath: path + "/master.key") {
            throw StartupError(
                "The backup holds no master key and '\(path)/master.key' does not exist: pass --master-key-file or set COFFER_MASTER_KEY "
                    + "to the key of the store it was taken from (nothing was changed)"
            )
        }
        let directory = try DataDirectory(path: path)
        do {
            let keyring = try directory.keyring(from: masterKey).keyring
            let (report, header) = try await StoreRestore(from: file, into: .sqlite(path: directory.databasePath, keyring: keyring)).run()
            if !report.committed, !existed { rmdir(directory.path) }
            return (report, header, directory.path)
        } catch {
            if !existed { rmdir(directory.path) }
            throw error
        }
    }

    /// Into an empty PostgreSQL database, with the master key given as to 'coffer serve --database-url'.
    private func restore(
        _ file: String,
        into databaseURL: String,
        masterKey: ServerConfiguration.MasterKeySource
    ) async throws -> (MigrationReport, BackupHeader, String) {
        var configuration = ServerConfiguration()
        configuration.databaseURL = databaseURL
        configuration.databaseRootCertificateFile = store.databaseTLSCAFile
        configuration.masterKey = masterKey
        let target = try Startup.postgresStore(configuration, logger: StoreOptions.quietLogger)
        let (report, header) = try await target.whileRunning { try await StoreRestore(from: file, into: .postgres(target)).run() }
        return (report, header, try PostgresURL(databaseURL).description)
    }
}

/// The store `coffer backup` reads or `coffer restore --from` fills: a data directory or a PostgreSQL database.
struct BackupStoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("A data directory's SQLite store (to restore into: made if missing, and it must hold no data).", valueName: "dir")
    )
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "Or a PostgreSQL database (postgres://user:password@host:5432/db?sslmode=...; to restore into: it must hold no data).",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Option(
        name: .customLong("database-tls-ca-file"),
        help: ArgumentHelp("PEM file of the roots that verify the PostgreSQL server's certificate.", valueName: "file")
    )
    var databaseTLSCAFile: String?

    func validate() throws {
        if let databaseURL {
            do {
                _ = try PostgresURL(databaseURL)
            } catch {
                throw ValidationError("--database-url: \(error)")
            }
        }
    }

    /// Exactly one of the two stores (checked by the command: `coffer restore` alone needs neither).
    func requireOne() throws {
        guard (dataDirectory == nil) != (databaseURL == nil) else { throw ValidationError("Pass --data-dir DIR or --database-url URL (one of them)") }
    }

    /// The database with `--database-tls-ca-file` applied, nil for a data directory.
    func database() throws -> PostgresURL? {
        guard let databaseURL else { return nil }
        var url = try PostgresURL(databaseURL)
        if let databaseTLSCAFile { url.rootCertificateFile = databaseTLSCAFile }
        return url
    }
}

extension MigrateCommand {
    /// The report's heading and one line per kind, as `coffer migrate` prints them, without its verdict.
    static func kindLines(_ report: MigrationReport) -> [String] {
        describe(report, database: "").split(separator: "\n").dropLast().map(String.init)
    }
}
