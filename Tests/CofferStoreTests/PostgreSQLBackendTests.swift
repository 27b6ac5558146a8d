import CofferCore
import CofferCrypto
import CofferPostgres
import CofferPostgresTestSupport
import CofferStore
import CofferTestSupport
import Foundation
import Testing

/// What only the PostgreSQL store has to get right: replicas that start and write together. The conformance suites
/// run it like every other backend; these run only when `POSTGRES_URL` is set, and say so when it is not.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct PostgreSQLBackendTests {
    @Test func replicasStartingTogetherApplyEachNamedMigrationOnce() async throws {
        let schema = try await PostgresTestDatabase.makeSchema()
        let key = MasterKey.generate()
        var replicas: [PostgresStore] = []
        for _ in 0..<4 {
            replicas.append(PostgresTestDatabase.store(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: key))
        }
        try await withThrowingDiscardingTaskGroup { group in
            for replica in replicas { group.addTask { await replica.run() } }
            try await withThrowingTaskGroup(of: Void.self) { opening in
                for replica in replicas { opening.addTask { try await replica.open() } }
                try await opening.waitForAll()
            }
            #expect(try await replicas[0].appliedMigrations() == PostgresStore.migrationNames)
            try await replicas[1].open()
            #expect(try await replicas[1].appliedMigrations() == PostgresStore.migrationNames)
            group.cancelAll()
        }
    }

    @Test func aWrongMasterKeyIsRefusedBeforeAnythingIsWritten() async throws {
        let schema = try await PostgresTestDatabase.makeSchema()
        let first = PostgresTestDatabase.store(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: .generate())
        let wrong = PostgresTestDatabase.store(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: .generate())
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await first.run() }
            group.addTask { await wrong.run() }
            try await first.open()
            try await first.bootstrap(team: Fixtures.team, token: Fixtures.token)
            let error = await #expect(throws: StoreError.self) { try await wrong.open() }
            #expect(error?.code == .masterKeyMismatch)
            #expect(try await first.auditEntries(AuditQuery(limit: 100)).count == 1)
            group.cancelAll()
        }
    }

    /// Two replicas on one new schema, opened, with the default team and the project `demo`: `count` writes go
    /// them (write `i` through `a` when `i` is even, `b` when odd) and `check` looks at what they stored.
    func withTwoReplicas(
        writes count: Int,
        _ write: @escaping @Sendable (Int) -> SecretGroupDefinition,
        then check: (_ a: PostgresStore, _ b: PostgresStore) async throws -> Void
    ) async throws {
        let schema = try await PostgresTestDatabase.makeSchema()
        let key = MasterKey.generate()
        let a = PostgresTestDatabase.store(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: key)
        let b = PostgresTestDatabase.store(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: key)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await a.run() }
            group.addTask { await b.run() }
            try await a.open()
            try await b.open()
            try await a.bootstrap(team: Fixtures.team, token: Fixtures.token)
            _ = try await b.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
            try await withThrowingTaskGroup(of: Void.self) { writers in
                for index in 0..<count {
                    let replica = index.isMultiple(of: 2) ? a : b
                    writers.addTask { _ = try await replica.putGroup(write(index), in: Fixtures.demo, at: Fixtures.t0) }
                }
                try await writers.waitForAll()
            }
            try await check(a, b)
            group.cancelAll()
        }
    }

    @Test func theAuditChainStaysLinearAcrossReplicasWritingAtOnce() async throws {
        try await withTwoReplicas(writes: 20, { Fixtures.definition(name: "Group \($0)") }) { a, b in
            let entries = try await b.auditEntries(AuditQuery(limit: 1000))
            #expect(entries.map(\.sequence) == Array(1...22))
            var verifier = AuditChain.Verifier()
            try verifier.check(entries)
            #expect(try await a.groups(in: Fixtures.demo).count == 20)
        }
    }

    @Test func replicasPuttingOneNewNameAtOnceCreateItOnceAndApplyEveryPut() async throws {
        // The first PUTs of the new name race to insert it: every loser's insert fails on the primary key once the
        // winner commits, and its transaction is run again from the start, as an update.
        try await withTwoReplicas(writes: 40, { Fixtures.definition(name: "Shared Name", variables: ["N": "\($0)"]) }) { a, b in
            #expect(try await a.group(id: "shared-name", in: Fixtures.demo)?.version == 40)
            let entries = try await b.auditEntries(AuditQuery(resourceId: "shared-name", limit: 1000))
            #expect(entries.map(\.action) == [.create] + Array(repeating: .update, count: 39))
            var verifier = AuditChain.Verifier()
            try verifier.check(try await b.auditEntries(AuditQuery(limit: 1000)))
            #expect(verifier.count == 42)
        }
    }
}
