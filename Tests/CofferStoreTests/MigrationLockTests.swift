import CofferCrypto
import CofferPostgres
import CofferPostgresTestSupport
import CofferTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CofferStore

/// `open()` takes turns with replicas of the same store (schema) only: a store in another schema of the same
/// database never waits for it. One lock for every schema made the tests' many stores queue at a cold start.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct MigrationLockTests {
    static let logger = Logger(label: "coffer.tests.migration-lock")

    @Test func aStoreOpensWhileAnotherSchemasMigrationLockIsHeld() async throws {
        let url = try await PostgresTestDatabase.makeDatabaseURL()
        var holderConfiguration = url.clientConfiguration()
        holderConfiguration.options.maximumConnections = 1
        let holder = PostgresClient(configuration: holderConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await holder.run() }
            defer { group.cancelAll() }
            try await holder.withConnection { connection in
                try await connection.query("CREATE SCHEMA held", logger: Self.logger)
                try await connection.query("CREATE SCHEMA free", logger: Self.logger)
                // What a replica migrating schema `held` holds for as long as it migrates.
                let lockClass = PostgresStore.migrationLockClass
                try await connection.query("SELECT pg_advisory_lock(\(lockClass), hashtext('held'))", logger: Self.logger)

                // With the tests' long timeouts: had it waited for the lock, it would never have opened.
                let free = Self.store(url, schema: "free", timeouts: (PostgresTestDatabase.leaseTimeout, PostgresTestDatabase.callTimeout))
                try await free.whileRunning { try await free.open() }

                let waiting = Self.store(url, schema: "held", timeouts: (.seconds(2), .seconds(4)))
                await #expect(throws: StoreError.unavailable, "a replica of the locked schema waits its turn") {
                    try await waiting.whileRunning { try await waiting.open() }
                }

                try await connection.query("SELECT pg_advisory_unlock(\(lockClass), hashtext('held'))", logger: Self.logger)
                let turn = Self.store(url, schema: "held", timeouts: (PostgresTestDatabase.leaseTimeout, PostgresTestDatabase.callTimeout))
                try await turn.whileRunning { try await turn.open() }
            }
        }
    }

    static func store(_ url: PostgresURL, schema: String, timeouts: (lease: Duration, call: Duration)) -> PostgresStore {
        var configuration = url.clientConfiguration()
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        configuration.options.maximumConnections = 2
        return PostgresStore(
            configuration: configuration,
            keyring: MasterKeyring(primary: .generate()),
            leaseTimeout: timeouts.lease,
            callTimeout: timeouts.call
        )
    }
}
