import ArgumentParser
import CofferPostgres
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import Foundation
import Logging

/// The flags of commands that work on a server's store directly (`coffer token`, `coffer audit verify`): the data
/// directory and its master key, found the way `coffer serve` finds them, or the PostgreSQL database replicas share.
/// Safe while servers run: SQLite's write-ahead log lets both processes use the file, and PostgreSQL is shared anyway.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data directory (default: ./coffer-data).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: "Work on this PostgreSQL database instead of a data directory (default: COFFER_DATABASE_URL unless --data-dir is given)."
    )
    var databaseURL: String?

    @Option(name: .customLong("database-tls-ca-file"), help: "PEM file of the roots that verify the PostgreSQL server's certificate.")
    var databaseTLSCAFile: String?

    @Option(
        name: .customLong("master-key-file"),
        help: "The master key file (default: COFFER_MASTER_KEY, else DATA_DIR/master.key; with a database URL one of the first two is needed)."
    )
    var masterKeyFile: String?

    func validate() throws {
        if dataDirectory != nil, databaseURL != nil { throw ValidationError("Pass --data-dir or --database-url, not both") }
        if let databaseURL {
            do {
                _ = try PostgresURL(databaseURL)
            } catch {
                throw ValidationError("--database-url: \(error)")
            }
        }
    }

    /// The database URL in effect: the flag, else `COFFER_DATABASE_URL` unless a data directory was named.
    func effectiveDatabaseURL(environment: [String: String]) -> String? {
        if let databaseURL { return databaseURL }
        guard dataDirectory == nil, let text = environment["COFFER_DATABASE_URL"], !text.isEmpty else { return nil }
        return text
    }

    /// Where the master key comes from, as `coffer serve` decides it.
    func masterKeySource(environment: [String: String]) -> ServerConfiguration.MasterKeySource {
        Self.masterKeySource(file: masterKeyFile, environment: environment)
    }

    static func masterKeySource(file: String?, environment: [String: String]) -> ServerConfiguration.MasterKeySource {
        if let file { return .file(file) }
        if let text = environment["COFFER_MASTER_KEY"], !text.isEmpty { return .text(text) }
        return .dataDirectory
    }

    /// Runs `body` on the existing store these flags name; never creates one (a typo in --data-dir or --database-url
    /// must not make a new, empty store). A PostgreSQL store's pool runs only while `body` does.
    func withStore<Result: Sendable>(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: (any StoreDriver) async throws -> Result
    ) async throws -> Result {
        guard let url = effectiveDatabaseURL(environment: environment) else {
            let store = try openStore(environment: environment)
            defer { try? store.close() }
            return try await body(store)
        }
        var configuration = ServerConfiguration()
        configuration.databaseURL = url
        configuration.databaseRootCertificateFile = databaseTLSCAFile
        configuration.masterKey = masterKeySource(environment: environment)
        let store = try Startup.postgresStore(configuration, logger: Self.quietLogger)
        return try await store.whileOpenExisting(database: (try? PostgresURL(url).description) ?? "PostgreSQL") { try await body(store) }
    }

    /// The PostgreSQL database in effect (see `effectiveDatabaseURL`), with `--database-tls-ca-file` applied.
    func database(environment: [String: String]) throws -> PostgresURL? {
        guard let text = effectiveDatabaseURL(environment: environment) else { return nil }
        var url = try PostgresURL(text)
        if let databaseTLSCAFile { url.rootCertificateFile = databaseTLSCAFile }
        return url
    }

    /// Opens the existing SQLite store in the data directory.
    func openStore(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SQLiteStore {
        try Self.openStore(dataDirectory: dataDirectory ?? "./coffer-data", masterKey: masterKeySource(environment: environment))
    }

    static func openStore(dataDirectory: String, masterKey: ServerConfiguration.MasterKeySource) throws -> SQLiteStore {
        let directory = try DataDirectory(existingPath: dataDirectory)
        let (keyring, reload, _) = try directory.keyring(from: masterKey)
        return try SQLiteStore(path: directory.databasePath, keyring: keyring, reload: reload)
    }

    /// Warnings and errors only, on standard error: standard output is the command's answer (a token's text, JSON).
    static var quietLogger: Logger {
        var logger = Logger(label: "coffer") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }
}
