import CofferCore
import CofferCrypto
import CofferPostgres
import CofferServer
import CofferStore
import Logging

extension Startup {
    /// The PostgreSQL store `configuration.databaseURL` names, not yet running. Its master key must be given
    /// (`--master-key-file` or `COFFER_MASTER_KEY`): replicas share one database, so none may invent a key of its own.
    public static func postgresStore(_ configuration: ServerConfiguration, logger: Logger) throws -> PostgresStore {
        guard let text = configuration.databaseURL else { throw StartupError("No database URL is configured") }
        var url = try PostgresURL(text)
        if let file = configuration.databaseRootCertificateFile { url.rootCertificateFile = file }
        let keyring: MasterKeyring
        var reload: (@Sendable () throws -> MasterKeyring)?
        switch configuration.masterKey {
        case .text(let text):
            keyring = try DataDirectory.parse(text, origin: "COFFER_MASTER_KEY")
        case .file(let path):
            let keyFile = MasterKeyFile(path: path)
            keyring = try keyFile.read()
            reload = keyFile.read
        case .dataDirectory:
            throw StartupError(
                "With --database-url every replica must be given the master key: pass --master-key-file or set COFFER_MASTER_KEY (no key is generated for a shared database)"
            )
        }
        return PostgresStore(configuration: url.clientConfiguration(), keyring: keyring, reload: reload, logger: logger)
    }

    /// Connects once to the database `configuration.databaseURL` names and disconnects, before anything else starts:
    /// so that `coffer serve` on a database it cannot reach (refused, no route, wrong password) stops within seconds
    /// with one line naming the host, port and the driver's code, rather than after its pool has retried in vain.
    public static func checkReachable(_ configuration: ServerConfiguration, logger: Logger) async throws {
        guard let text = configuration.databaseURL else { throw StartupError("No database URL is configured") }
        var url = try PostgresURL(text)
        if let file = configuration.databaseRootCertificateFile { url.rootCertificateFile = file }
        try await url.checkReachable(logger: logger)
    }

    /// Opens a running PostgreSQL store (key check and migrations, once across replicas) and, on an empty database,
    /// creates the default team and admin token; returns a generated token's text. Another replica bootstrapping the
    /// same database at the same moment is not an error: one of them creates the team, the other leaves it.
    public static func prepare(_ store: PostgresStore, presetAdminToken: String?) async throws -> String? {
        try await store.open()
        do {
            return try await bootstrap(store, presetAdminToken: presetAdminToken)
        } catch let error as StoreError where error.code == .alreadyExists {
            return nil
        }
    }
}
