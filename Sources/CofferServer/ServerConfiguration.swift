import CofferCore
import CofferStore
import Prometheus

/// Everything `coffer serve` can be told, with the defaults a fresh machine needs. The CLI fills it from flags and
/// the environment; tests build it directly.
public struct ServerConfiguration: Sendable {
    /// Where the master key comes from.
    public enum MasterKeySource: Sendable, Equatable {
        /// A file holding base64 of 32 bytes (`--master-key-file`).
        case file(String)
        /// The base64 text itself (`COFFER_MASTER_KEY`).
        case text(String)
        /// `master.key` in the data directory, generated (mode 0600) when the data directory is new.
        case dataDirectory
    }

    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "./coffer-data"
    /// A PostgreSQL URL (`postgres://user:password@host:5432/db?sslmode=verify-full`): serve from that shared database
    /// instead of SQLite in the data directory. Replicas on one database must all be given the same master key.
    public var databaseURL: String?
    /// PEM roots that verify the PostgreSQL server's certificate; overrides the URL's `sslrootcert`.
    public var databaseRootCertificateFile: String?
    public var masterKey: MasterKeySource = .dataDirectory
    /// The bootstrap admin token of an empty store (`COFFER_ADMIN_TOKEN`); generated when nil.
    public var adminToken: String?
    /// Largest accepted request body.
    public var maximumRequestBodyBytes: Int = 2 * 1024 * 1024
    /// Largest accepted change set (`POST .../change-sets`, up to 1,000 operations with their bodies).
    public var maximumChangeSetBytes: Int = 32 * 1024 * 1024
    public var limits = ValidationLimits()
    public var synchronous: CommitDurability = .full
    /// How long a token found in the store is trusted before it is read again: a revocation made outside this server
    /// takes effect within it.
    public var tokenCacheLifetime: Duration = .seconds(1)
    /// Requests per token and window; nil (the default) for no limit.
    public var rateLimit: RateLimit?
    /// Longest request target (path and query), in bytes; longer is 414.
    public var maximumTargetBytes: Int = 8 * 1024
    /// Most header bytes (names and values) in one request; more is 431.
    public var maximumHeaderBytes: Int = 32 * 1024
    /// Versions kept per secret group (`--keep-versions`); older ones are dropped in the background.
    public var keepVersions: Int = 100
    /// How long a deleted group's history is kept (`--keep-deleted`), then purged.
    public var keepDeleted: Duration = .seconds(30 * 86_400)
    /// How often the background sweep drops what retention no longer keeps.
    public var historySweepInterval: Duration = .seconds(60)
    /// How far back the change feed answers (`--keep-changes`): a `since` whose next change is older is 410.
    public var keepChanges: Duration = .seconds(7 * 86_400)
    /// Most requests waiting on the change feed at once (`--max-watchers`); past it, 503.
    public var maximumWatchers: Int = 10_000
    /// How long a change stream's write may wait for its client to read before the connection is closed.
    public var slowConsumerTimeout: Duration = .seconds(30)

    /// `GET /metrics` in Prometheus' text format (`--metrics`), from the registry swift-metrics was bootstrapped with;
    /// nil serves no such route.
    public var metrics: MetricsEndpoint?

    public init() {}
}

/// What `GET /metrics` serves and who may read it.
public struct MetricsEndpoint: Sendable {
    public var registry: PrometheusCollectorRegistry
    /// Without a token (`--metrics-public`), for a scraper on a private network; otherwise any valid token.
    public var isPublic: Bool

    public init(registry: PrometheusCollectorRegistry, isPublic: Bool) {
        self.registry = registry
        self.isPublic = isPublic
    }
}
