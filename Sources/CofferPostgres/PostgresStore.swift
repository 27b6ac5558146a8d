import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// The shared store for many server replicas: one PostgreSQL database reached through a `PostgresClient` pool. Values
/// are sealed exactly as in `SQLiteStore` (per-project data keys by generation, wrapped by the master keyring), every
/// write is one transaction that commits before its call returns, and the audit chain stays linear across replicas.
///
/// The store is a `Service`: its `run()` runs the connection pool, which must be running before `open()` and any
/// other call. Run it in the server's `ServiceGroup` (or a task group in tests), then call `open()` once.
public final class PostgresStore: StoreDriver, Service {
    package let client: PostgresClient
    /// The one event loop the store's connections run on, apart from the loops that serve HTTP, and the executor that
    /// runs every call's work on it (`withLease`): see `EventLoopTaskExecutor`.
    private let connectionLoop: MultiThreadedEventLoopGroup
    let executor: EventLoopTaskExecutor
    /// Every write goes through it: concurrent writes commit together (group commit), one batch at a time, since every
    /// write transaction holds the audit chain's head (`commitTogether`): a second batch would only wait for it.
    public let batcher = WriteBatcher()
    public let codec: RecordCodec
    package var keyring: LiveKeyring { codec.keyring }
    package let logger: Logger
    /// Longest wait for a pooled connection before a call fails with `unavailable`.
    package let leaseTimeout: Duration
    /// Longest a call may run, its wait for a connection included, before it is abandoned as `unavailable`.
    package let callTimeout: Duration
    package let availability = DatabaseAvailability()
    /// Names this store in the changes it announces, so its own listener can skip them: every write through this
    /// store is already folded into its server's caches, and hearing it back would only drop what was just updated.
    package let origin = UUID().uuidString

    public var kind: String { "postgres" }

    /// A store on `configuration`'s database with a single master key; see `init(configuration:keyring:reload:logger:)`.
    public convenience init(configuration: PostgresClient.Configuration, masterKey: MasterKey, logger: Logger = Logger(label: "coffer.postgres")) {
        self.init(configuration: configuration, keyring: MasterKeyring(primary: masterKey), logger: logger)
    }

    /// A store on `configuration`'s database. Nothing is sent to the server until `run()` runs and `open()` is called.
    /// `reload` re-reads the keyring when a data key names a master key the ring lacks; nil means the ring is fixed. A
    /// call that gets no pooled connection within `leaseTimeout` (the database is down), or has not ended within
    /// `callTimeout`, fails with `unavailable`.
    public init(
        configuration: PostgresClient.Configuration,
        keyring: MasterKeyring,
        reload: (@Sendable () throws -> MasterKeyring)? = nil,
        leaseTimeout: Duration = .seconds(3),
        callTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "coffer.postgres")
    ) {
        // The driver logs every failed reconnect attempt at info level, with host and port; the store logs an outage
        // once itself (`DatabaseAvailability`), so the pool's own log starts at warnings.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        // The write path's prepared statements take their rows as arrays, so one plan serves every batch. Left to
        // choose, PostgreSQL planned them again on every call (0.8 ms a batch, held under the audit head's lock), and
        // PUT throughput was 0.09-0.12x health against 0.13-0.15x with one plan in the same hour. A generic plan is
        // made again only when the statistics of its tables change (ANALYZE, autovacuum), so those statements find
        // their rows by key whatever the tables' size at planning (`GroupWriteRowsStatement`, `BatchWriteStatement`).
        var configuration = configuration
        configuration.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        connectionLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        executor = EventLoopTaskExecutor(connectionLoop.next())
        client = PostgresClient(configuration: configuration, eventLoopGroup: connectionLoop, backgroundLogger: background)
        codec = RecordCodec(keyring: LiveKeyring(keyring, reload: reload))
        self.leaseTimeout = leaseTimeout
        self.callTimeout = max(callTimeout, leaseTimeout)
        self.logger = logger
    }

    /// Runs the connection pool until cancelled or until graceful shutdown, then stops the connections' event loop.
    public func run() async {
        await client.run()
        try? await connectionLoop.shutdownGracefully()
    }

    /// Prepares the database for use, once per process: under a session advisory lock (so replicas starting together
    /// take turns), refuses a keyring none of whose keys opens the recorded check value before anything is written,
    /// applies pending migrations, and records the check value of a new database.
    public func open() async throws {
        try await withLease { connection in
            try await self.withMigrationLock(on: connection) {
                let openingKeyID = try await self.verifyKeyring(on: connection)
                try await self.migrate(on: connection)
                if openingKeyID == nil {
                    let primary = self.keyring.ring.primary
                    try await connection.query(
                        """
                        INSERT INTO master_key_check (id, check_value, master_key_id) VALUES (1, \(try primary.makeCheckValue()), \(primary.id))
                        ON CONFLICT (id) DO NOTHING
                        """,
                        logger: self.logger
                    )
                }
            }
        }
    }

    /// The id of the key that opens the recorded check value; nil for a database that has none yet.
    private func verifyKeyring(on connection: PostgresConnection) async throws -> String? {
        let exists = try await connection.values(Bool.self, "SELECT to_regclass('master_key_check') IS NOT NULL", logger: logger)
        guard exists.first == true else { return nil }
        let checkValues = try await connection.values(Data.self, "SELECT check_value FROM master_key_check WHERE id = 1", logger: logger)
        guard let checkValue = checkValues.first else { return nil }
        for key in keyring.ring.keys where (try? key.verify(checkValue: checkValue)) != nil {
            return key.id
        }
        throw StoreError(
            .masterKeyMismatch,
            "The master key does not match the one this database was created with; refusing to start (nothing was changed)"
        )
    }
}
