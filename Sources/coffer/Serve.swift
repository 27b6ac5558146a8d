import ArgumentParser
import CofferPostgres
import CofferRuntime
import CofferServer
import CofferStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `coffer serve`: runs the API server on an embedded SQLite store, or on a PostgreSQL database shared by replicas.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Coffer API server on an embedded, encrypted SQLite store (or a shared PostgreSQL database).",
        discussion: """
            On an empty data directory the server creates the default team and an admin token, taken from \
            COFFER_ADMIN_TOKEN or generated and printed once to standard output. The master key comes from \
            --master-key-file or COFFER_MASTER_KEY (base64 of 32 bytes; a file may list several keys, one per line, \
            the first wrapping new data; see 'coffer keys rotate'); without either, one is generated into \
            the data directory (mode 0600) with a warning. SIGINT or SIGTERM stop it gracefully.

            With --database-url (or COFFER_DATABASE_URL) the server uses that PostgreSQL database instead, so that \
            several replicas can serve one set of secrets; each must be given the same master key (none is generated), \
            and the schema is migrated once, under a lock, by whichever replica starts first. TLS follows the URL's \
            sslmode (disable, prefer, require, verify-ca, verify-full) and sslrootcert or --database-tls-ca-file.

            Examples:
              coffer serve --port 8080 --data-dir ./coffer-data
              coffer serve --database-url 'postgres://coffer@db:5432/coffer?sslmode=verify-full' --master-key-file key
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("data-dir"), help: "Directory for the database (and a generated master key); created if missing.")
    var dataDirectory = "./coffer-data"

    @Option(name: .customLong("master-key-file"), help: "File holding the master key as base64 of 32 bytes.")
    var masterKeyFile: String?

    @Option(
        name: .customLong("database-url"),
        help:
            "Serve from this PostgreSQL database (postgres://user:password@host:5432/db?sslmode=...) instead of SQLite (default: COFFER_DATABASE_URL)."
    )
    var databaseURL: String?

    @Option(name: .customLong("database-tls-ca-file"), help: "PEM file of the roots that verify the PostgreSQL server's certificate.")
    var databaseTLSCAFile: String?

    @Option(
        help:
            "Durability of commits: 'full' fsyncs every commit (default); 'normal' only at checkpoints, which can lose the last commits on power loss."
    )
    var sync: SyncMode = .full

    @Option(
        name: .customLong("rate-limit"),
        help: "Requests each token may make, as N/s, N/min or N/h (default: no limit). Past it: 429 and x-ratelimit-* headers."
    )
    var rateLimit: String?

    @Option(
        name: .customLong("keep-versions"),
        help: "Versions of each secret group to keep (at least 1); older ones are dropped, oldest first, the current one never."
    )
    var keepVersions = 100

    @Option(
        name: .customLong("keep-deleted"),
        help: "How long a deleted secret group's history is kept (so that it can be restored) before it is purged: 30d, 12h, 90m, 3600s."
    )
    var keepDeleted = "30d"

    @Option(
        name: .customLong("keep-changes"),
        help: "How far back the change feed answers ('GET .../changes?since=R' with an older R is 410): 7d, 12h, 90m, 3600s."
    )
    var keepChanges = "7d"

    @Option(
        name: .customLong("max-watchers"),
        help: "Most requests waiting at once (long polls of the change feed, its streams, conditional reads with wait; at least 1); past it, 503."
    )
    var maxWatchers = 10_000

    @Option(
        name: .customLong("stream-stall-timeout"),
        help: "How long a change stream's write may wait for a client that stopped reading before its connection is closed: 30s, 2m."
    )
    var streamStallTimeout = "30s"

    @Flag(
        name: .customLong("metrics"),
        help: "Serve GET /metrics in Prometheus' text format (request latency by route and status, commits, caches, watchers); any valid token reads it."
    )
    var metrics = false

    @Flag(name: .customLong("metrics-public"), help: "With --metrics: serve /metrics without a token (for a scraper on a private network).")
    var metricsPublic = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    enum SyncMode: String, ExpressibleByArgument, CaseIterable {
        case full
        case normal
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let rateLimit, RateLimit(rateLimit) == nil {
            throw ValidationError("--rate-limit must be a count per s, min or h, such as 600/min")
        }
        guard keepVersions >= 1 else { throw ValidationError("--keep-versions must be at least 1 (the current version is always kept)") }
        guard DurationArgument(keepDeleted) != nil else {
            throw ValidationError("--keep-deleted must be \(DurationArgument.forms), up to \(DurationArgument.maximumSeconds / 86_400)d")
        }
        guard DurationArgument(keepChanges) != nil else {
            throw ValidationError("--keep-changes must be \(DurationArgument.forms), up to \(DurationArgument.maximumSeconds / 86_400)d")
        }
        guard maxWatchers >= 1 else { throw ValidationError("--max-watchers must be at least 1") }
        guard metrics || !metricsPublic else { throw ValidationError("--metrics-public needs --metrics") }
        guard let stall = DurationArgument(streamStallTimeout), stall.duration > .zero else {
            throw ValidationError("--stream-stall-timeout must be \(DurationArgument.forms), more than 0")
        }
        if let databaseURL {
            do {
                _ = try PostgresURL(databaseURL)
            } catch {
                throw ValidationError("--database-url: \(error)")
            }
        }
    }

    /// The configuration these flags and `environment` describe.
    func serverConfiguration(environment: [String: String]) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = dataDirectory
        configuration.databaseURL = databaseURL ?? environment["COFFER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.databaseRootCertificateFile = databaseTLSCAFile
        if let masterKeyFile {
            configuration.masterKey = .file(masterKeyFile)
        } else if let text = environment["COFFER_MASTER_KEY"], !text.isEmpty {
            configuration.masterKey = .text(text)
        }
        configuration.adminToken = environment["COFFER_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.synchronous = sync == .full ? .full : .normal
        configuration.rateLimit = rateLimit.flatMap(RateLimit.init)
        configuration.keepVersions = keepVersions
        if let keepDeleted = DurationArgument(keepDeleted) { configuration.keepDeleted = keepDeleted.duration }
        if let keepChanges = DurationArgument(keepChanges) { configuration.keepChanges = keepChanges.duration }
        configuration.maximumWatchers = maxWatchers
        if let stall = DurationArgument(streamStallTimeout) { configuration.slowConsumerTimeout = stall.duration }
        return configuration
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "coffer")
        var configuration = serverConfiguration(environment: ProcessInfo.processInfo.environment)
        if metrics {
            // Before the store opens: its commit metrics are made with it, through the backend chosen here.
            configuration.metrics = MetricsEndpoint(registry: Self.bootstrapMetrics(), isPublic: metricsPublic)
        }
        if configuration.databaseURL != nil {
            try await runOnPostgres(configuration, logger: logger)
            return
        }
        let startup: Startup
        do {
            startup = try await Startup.open(configuration)
        } catch {
            FileHandle.standardError.write(Data("coffer: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if startup.generatedMasterKey {
            logger.warning(
                "Generated a new master key in \(startup.dataDirectory.generatedMasterKeyPath); keep a copy elsewhere, without it the data cannot be read"
            )
        }
        if let finished = startup.finishedRotation {
            logger.notice("\(finished)")
        }
        if let token = startup.generatedAdminToken {
            logger.notice("Created the default team and an admin token; it is printed once on standard output and never again")
            print(token)
            fflush(nil)  // flush every stream: the token must reach a pipe before the server blocks
        }
        let dataPath = startup.dataDirectory.path
        // Hummingbird announces its own listening line at info; ours says more, so by default theirs is left out.
        var serverLogger = logger
        serverLogger.logLevel = logLevel == .info ? .notice : logLevel
        let app = buildApplication(configuration: configuration, store: startup.store, logger: serverLogger) { host, port in
            logger.info("Coffer listening on http://\(host):\(port), data in \(dataPath) (sqlite)")
        }
        try await app.runService()
    }
}

extension Serve {
    /// Makes swift-metrics report to a Prometheus registry, with names and label names Prometheus accepts (letters,
    /// digits and `_`; Hummingbird's `http.server.request.duration` becomes `http_server_request_duration`).
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        factory.durationHistogramBuckets["coffer_store_commit_duration_seconds"] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.valueHistogramBuckets["coffer_store_batch_writes"] = [1, 2, 4, 8, 16, 32, 64]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    static func prometheusName(_ name: String) -> String {
        String(name.unicodeScalars.map { $0.isASCIIAlphanumericOrUnderscore ? Character($0) : "_" })
    }

    /// Serves from PostgreSQL: the store's pool runs as a service beside the HTTP server, and the store is opened
    /// (migrated, bootstrapped) once the pool runs and before the server listens.
    func runOnPostgres(_ configuration: ServerConfiguration, logger: Logger) async throws {
        let store: PostgresStore
        do {
            store = try Startup.postgresStore(configuration, logger: logger)
            try await Startup.checkReachable(configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("coffer: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        var serverLogger = logger
        serverLogger.logLevel = logLevel == .info ? .notice : logLevel
        let presetAdminToken = configuration.adminToken
        // The URL as PostgresURL prints it: the password, if any, is masked.
        let database = (try? PostgresURL(configuration.databaseURL ?? "").description) ?? "PostgreSQL"
        let app = buildApplication(
            configuration: configuration,
            store: store,
            services: [store],
            logger: serverLogger,
            beforeServerStarts: {
                guard let token = try await Startup.prepare(store, presetAdminToken: presetAdminToken) else { return }
                logger.notice("Created the default team and an admin token; it is printed once on standard output and never again")
                print(token)
                fflush(nil)  // flush every stream: the token must reach a pipe before the server blocks
            }
        ) { host, port in
            logger.info("Coffer listening on http://\(host):\(port), data in \(database) (postgres)")
        }
        do {
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("coffer: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumericOrUnderscore: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self) || self == "_"
    }
}
