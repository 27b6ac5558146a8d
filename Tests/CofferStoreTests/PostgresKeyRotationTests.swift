import CofferCore
import CofferCrypto
import CofferPostgres
import CofferPostgresTestSupport
import CofferStore
import CofferTestSupport
import Foundation
import Testing

/// `coffer keys rotate` and `rotate-data-keys` on PostgreSQL: run from one store (the CLI's process) while another
/// (a serving replica) keeps writing and reading, through the same write path; afterwards only the new key opens.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, "needs POSTGRES_URL"))
struct PostgresKeyRotationTests {
    @Test func rotationsBesideAWritingReplicaThenOnlyTheNewKeyOpens() async throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        let schema = try await PostgresTestDatabase.makeSchema()
        let keyFile = Shared(MasterKeyring(primary: old))
        let serving = PostgresStore(
            configuration: try await PostgresTestDatabase.configuration(schema: schema),
            keyring: keyFile.value,
            reload: { keyFile.value }
        )
        let rotating = PostgresStore(configuration: try await PostgresTestDatabase.configuration(schema: schema), keyring: MasterKeyring(primary: new, others: [old]))
        let reopened = PostgresStore(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: new)
        let stale = PostgresStore(configuration: try await PostgresTestDatabase.configuration(schema: schema), masterKey: old)
        try await withThrowingTaskGroup(of: Void.self) { pools in
            for store in [serving, rotating, reopened, stale] { pools.addTask { await store.run() } }
            defer { pools.cancelAll() }
            try await serving.open()
            try await RotationFixture.seed(serving, projects: 3, groups: 3)
            let acknowledged = Shared<[ProjectScope: SecretGroup]>([:])
            let stop = Shared(false)
            let failures = Shared<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { writers in
                writers.addTask {
                    await RotationFixture.write(to: serving, projects: 3, until: stop, acknowledged: acknowledged, failures: failures)
                }
                try await Task.sleep(for: .milliseconds(100))
                keyFile.value = MasterKeyring(primary: new, others: [old])
                try await rotating.open()
                let rewrap = try await rotating.rewrapDataKeys(batchSize: 1)
                #expect(rewrap.rewrapped == 3 && rewrap.previousKeyIDs == [old.id] && rewrap.primaryKeyID == new.id)
                #expect(try await rotating.masterKeyIDsInUse() == [new.id])
                keyFile.value = MasterKeyring(primary: new)
                let resealed = try await rotating.rotateDataKeys(batchSize: 2)
                #expect(resealed.map(\.generation) == [2, 2, 2])
                #expect(resealed.allSatisfy { $0.deletedKeys == 1 && $0.resealed >= 5 }, "\(resealed)")
                try await Task.sleep(for: .milliseconds(100))
                stop.value = true
                try await writers.waitForAll()
            }
            #expect(failures.value.isEmpty, "\(failures.value.prefix(3))")

            // Everything reads back under the new key alone, the last acknowledged writes included.
            try await reopened.open()
            #expect(try await RotationFixture.snapshot(reopened, projects: 3) == RotationFixture.snapshot(serving, projects: 3))
            for (scope, group) in acknowledged.value {
                #expect(try await reopened.group(id: "live", in: scope) == group)
            }
            #expect(try await reopened.finishDataKeyRotations().isEmpty)
            var verifier = AuditChain.Verifier()
            try verifier.check(try await reopened.auditEntries(AuditQuery(limit: 100_000)))
            // The old key is refused before anything is read or written.
            let error = await #expect(throws: StoreError.self) { try await stale.open() }
            #expect(error?.code == .masterKeyMismatch)
        }
    }
}
