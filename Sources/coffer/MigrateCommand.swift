import ArgumentParser
import CofferMigration
import CofferPostgres
import CofferRuntime
import CofferServer
import CofferStore
import Foundation

/// `coffer migrate`: moves an embedded SQLite store into an empty PostgreSQL database, verified, all or nothing.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move a SQLite data directory into an empty PostgreSQL database, verified, in one transaction.",
        discussion: """
            Copies teams, tokens, projects, secret groups, addons, workloads, the audit log and the data keys as they \
            are: ids, versions and timestamps (so ETags), token hashes, the audit chain and its hashes. Data keys stay \
            wrapped by the same master key, so the same key opens the PostgreSQL store and no value is re-encrypted. \
            Then it prints each kind's row count and SHA-256 over its rows (ids, versions, sealed bytes; never values) \
            as read back from both databases, and reads every record through both stores with values opened to compare \
            them. Exits 1 if anything differs; the copy is then rolled back where it can be.

            Stop the server first. A database that already holds data is refused and left unchanged; a migrate that is \
            killed leaves the target empty, so it can simply be run again.

            Example:
              coffer migrate --from-data-dir ./coffer-data --to-database-url 'postgres://coffer@db:5432/coffer?sslmode=verify-full'
              coffer serve --database-url 'postgres://coffer@db:5432/coffer?sslmode=verify-full' --master-key-file ./coffer-data/master.key
            """
    )

    @Option(name: .customLong("from-data-dir"), help: "The data directory of the SQLite store to move.")
    var dataDirectory: String

    @Option(
        name: .customLong("master-key-file"),
        help: "The master key file (default: COFFER_MASTER_KEY, else DATA_DIR/master.key); the PostgreSQL store uses the same key."
    )
    var masterKeyFile: String?

    @Option(name: .customLong("to-database-url"), help: "The empty PostgreSQL database (postgres://user:password@host:5432/db?sslmode=...).")
    var databaseURL: String

    @Option(name: .customLong("database-tls-ca-file"), help: "PEM file of the roots that verify the PostgreSQL server's certificate.")
    var databaseTLSCAFile: String?

    func validate() throws {
        do {
            _ = try PostgresURL(databaseURL)
        } catch {
            throw ValidationError("--to-database-url: \(error)")
        }
    }

    func run() async throws {
        try await reportingStoreFailures {
            let environment = ProcessInfo.processInfo.environment
            let masterKey = StoreOptions.masterKeySource(file: masterKeyFile, environment: environment)
            let source = try StoreOptions.openStore(dataDirectory: dataDirectory, masterKey: masterKey)
            // The target gets exactly the ring that opened the source: the keys that wrap its data keys.
            var configuration = ServerConfiguration()
            configuration.databaseURL = databaseURL
            configuration.databaseRootCertificateFile = databaseTLSCAFile
            configuration.masterKey = masterKey
            if case .dataDirectory = configuration.masterKey {
                configuration.masterKey = .file(try DataDirectory(existingPath: dataDirectory).generatedMasterKeyPath)
            }
            let target = try Startup.postgresStore(configuration, logger: StoreOptions.quietLogger)
            let report = try await target.whileRunning { try await StoreMigration(from: source, to: target).run() }
            print(Self.describe(report, database: try PostgresURL(databaseURL).description))
            if !report.isVerified { throw ExitCode.failure }
        }
    }

    /// The report as printed: one line per kind with both sides' counts and digests, then the verdict.
    static func describe(_ report: MigrationReport, database: String) -> String {
        var lines = ["kind               source rows  target rows  sha-256 (source)  sha-256 (target)"]
        for kind in report.kinds {
            let name = kind.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            let counts = String(kind.sourceCount).leftPadded(11) + "  " + String(kind.targetCount).leftPadded(11)
            lines.append("\(name) \(counts)  \(kind.sourceDigest)  \(kind.targetDigest)\(kind.matches ? "" : "  DIFFERS")")
        }
        if !report.committed {
            lines.append("The copy does not match the source; it was rolled back and \(database) is left empty.")
        } else if let kind = report.openedMismatch {
            lines.append("Copied into \(database), but \(kind) read back differently through the two stores: do not use the copy.")
        } else {
            lines.append("Copied into \(database): every count and digest matches; \(report.openedRecords) records opened and equal in both stores.")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
