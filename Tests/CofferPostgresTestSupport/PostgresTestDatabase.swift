import CofferCrypto
import CofferPostgres
import CofferStore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests may use: `POSTGRES_URL` (`.ci/run` starts a throwaway cluster and sets it). Each
/// store gets its own schema in one database per test process, so tests stay independent and run in parallel;
/// databases left by earlier runs are dropped once nothing is connected to them.
public enum PostgresTestDatabase {
    /// What a skipped PostgreSQL test says: why `url` is nil.
    public static let skipNote = setting.skipNote

    /// The server's URL, nil when PostgreSQL tests are to be skipped.
    public static let url: PostgresURL? = setting.url

    private static let setting = setting(from: ProcessInfo.processInfo.environment)

    /// The server `POSTGRES_URL` in `environment` names, or nil and why not. A malformed URL skips the PostgreSQL tests,
    /// saying what is wrong with it (never the URL, which may hold a password), rather than stopping the whole run.
    public static func setting(from environment: [String: String]) -> (url: PostgresURL?, skipNote: String) {
        guard let text = environment["POSTGRES_URL"], !text.isEmpty else {
            return (nil, "PostgreSQL tests skipped: POSTGRES_URL is unset (.ci/run sets it; see README)")
        }
        do {
            return (try PostgresURL(text), "PostgreSQL tests run against POSTGRES_URL")
        } catch {
            return (nil, "PostgreSQL tests skipped: POSTGRES_URL is malformed (\(error)); fix or unset it")
        }
    }

    /// How long a test store's call waits for a connection, and may run at all, unless the test is about those limits.
    /// The server's 3 s lease is for users, who should get a 503 quickly; a test run has dozens of suites sharing two
    /// cores, where a call that is merely slow must not fail as `unavailable`.
    public static let leaseTimeout = Duration.seconds(15)
    public static let callTimeout = Duration.seconds(60)

    /// A store on `configuration` with the tests' timeouts.
    public static func store(configuration: PostgresClient.Configuration, masterKey: MasterKey) -> PostgresStore {
        PostgresStore(configuration: configuration, keyring: MasterKeyring(primary: masterKey), leaseTimeout: leaseTimeout, callTimeout: callTimeout)
    }

    /// A fresh store in a schema of its own, running and opened. Its pool runs in a task that lives as long as the test
    /// process: the conformance suite hands stores to tests that do not shut them down, so nothing could end it.
    public static func makeStore(keyring: MasterKeyring) async throws -> PostgresStore {
        let store = PostgresStore(
            configuration: try await configuration(schema: try await makeSchema()),
            keyring: keyring,
            leaseTimeout: leaseTimeout,
            callTimeout: callTimeout
        )
        Task { await store.run() }
        try await store.open()
        return store
    }

    /// A client configuration whose connections use `schema`, few and short-lived so that many stores fit the server.
    public static func configuration(schema: String) async throws -> PostgresClient.Configuration {
        var configuration = try await databaseURL().clientConfiguration()
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        configuration.options.maximumConnections = 4
        configuration.options.connectionIdleTimeout = .seconds(2)
        configuration.options.keepAliveBehavior = nil
        return configuration
    }

    /// A new, empty schema in this process's database.
    public static func makeSchema() async throws -> String {
        let schema = "store_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withConnection(to: try databaseURL()) { connection in
            // An identifier cannot be a bind; this one is made here of hex digits only.
            try await connection.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
        }
        return schema
    }

    /// The URL of a new, empty database of its own, for tests that hand a URL to the `coffer` binary (a URL cannot
    /// name a schema). Named like the per-run databases, so later runs drop it the same way.
    public static func makeDatabaseURL() async throws -> PostgresURL {
        guard let url else { throw PostgresTestSetupError(message: skipNote) }
        let name = "coffer_test_\(Int(Date().timeIntervalSince1970))_" + UUID().uuidString.lowercased().prefix(8)
        _ = try await withConnection(to: url) { connection in
            // An identifier cannot be a bind; this one is made here of digits and hex digits only.
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        var own = url
        own.database = name
        return own
    }

    /// The single integer `query` answers on the database `url` names, for tests that watch a database from outside
    /// the store (row counts, locks held by another process).
    public static func integer(_ sql: String, in url: PostgresURL) async throws -> Int64 {
        try await withConnection(to: url) { connection in
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) { return try row.decode(Int64.self) }
            return 0
        }
    }

    /// A new, empty database of its own, as URL text with any password in it: for a `coffer serve` child process, which
    /// uses the database's default schema and so must not share one with other tests.
    public static func makeDatabase() async throws -> String {
        guard let url else { throw PostgresTestSetupError(message: skipNote) }
        let name = "coffer_test_\(Int(Date().timeIntervalSince1970))_" + UUID().uuidString.lowercased().prefix(8)
        _ = try await withConnection(to: url) { connection in
            // An identifier cannot be a bind; this one is made here of digits, hex digits and underscores only.
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@"))
        let user = url.username.addingPercentEncoding(withAllowedCharacters: allowed) ?? url.username
        let password = url.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
        let rootCertificate = url.rootCertificateFile.map { "&sslrootcert=\($0)" } ?? ""
        return "postgres://\(user)\(password)@\(url.host):\(url.port)/\(name)?sslmode=\(url.tlsMode.rawValue)\(rootCertificate)"
    }

    private static let logger = Logger(label: "coffer.tests.postgres")

    /// The URL of this process's own database, created (and stale ones dropped) on first use.
    private static func databaseURL() async throws -> PostgresURL {
        try await database.value
    }

    private static let database = Task<PostgresURL, any Error> {
        guard let url else { throw PostgresTestSetupError(message: skipNote) }
        // The name starts with its creation time, so that only databases of runs long over are dropped: a run that has
        // just created its database may not have connected to it yet.
        let now = Int(Date().timeIntervalSince1970)
        let name = "coffer_test_\(now)_" + UUID().uuidString.lowercased().prefix(8)
        try await withConnection(to: url) { connection in
            let stale = try await connection.query("SELECT datname FROM pg_database WHERE datname LIKE 'coffer_test_%'", logger: logger)
            var names: [String] = []
            for try await row in stale { names.append(try row.decode(String.self)) }
            for old in names where (old.split(separator: "_").dropFirst(2).first.flatMap { Int($0) } ?? 0) < now - 3600 {
                // Fails while another test run is connected to it; that run's database is left alone.
                _ = try? await connection.query("DROP DATABASE IF EXISTS \(unescaped: old)", logger: logger)
            }
            try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        var own = url
        own.database = name
        return own
    }

    private static func withConnection<Result>(to url: PostgresURL, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let configuration = PostgresConnection.Configuration(
            host: url.host,
            port: url.port,
            username: url.username,
            password: url.password,
            database: url.database,
            tls: url.tlsMode == .disable ? .disable : .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// PostgreSQL tests were asked for without a server.
package struct PostgresTestSetupError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
