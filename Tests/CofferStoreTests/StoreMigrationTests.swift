import CofferCore
import CofferCrypto
import CofferMigration
import CofferPostgres
import CofferPostgresTestSupport
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import GRDB
import Testing

/// `StoreMigration`: a SQLite store with every kind of record moved into a fresh PostgreSQL database reads back equal
/// through the PostgreSQL store, its audit chain goes on from the same head, and a target with data is refused.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct StoreMigrationTests {
    let key = MasterKey.generate()

    func makeSource() async throws -> (SQLiteStore, path: String) {
        let path = TemporaryDirectory().path + "/coffer.sqlite"
        let store = try SQLiteStore(path: path, masterKey: key)
        try await MigrationFixture.seed(store)
        return (store, path)
    }

    /// A store on a new, empty schema with the same master key; not opened (the migration opens it).
    func makeTarget() async throws -> PostgresStore {
        PostgresTestDatabase.store(
            configuration: try await PostgresTestDatabase.configuration(schema: try await PostgresTestDatabase.makeSchema()),
            masterKey: key
        )
    }

    @Test func everyRecordReadsBackEqualAndTheAuditChainGoesOnFromTheSameHead() async throws {
        let (source, _) = try await makeSource()
        let target = try await makeTarget()
        try await target.whileRunning {
            let report = try await StoreMigration(from: source, to: target).run()
            #expect(report.isVerified)
            #expect(report.openedRecords > 40)
            let counts = Dictionary(uniqueKeysWithValues: report.kinds.map { ($0.name, $0.targetCount) })
            #expect(counts["team"] == 2 && counts["token"] == 5 && counts["project"] == 3 && counts["data_key"] == 3)
            #expect(counts["secret_group"] == 6 && counts["addon"] == 6 && counts["workload"] == 6 && counts["master_key_check"] == 1)
            for kind in report.kinds {
                #expect(kind.sourceCount == kind.targetCount && kind.sourceDigest == kind.targetDigest, "\(kind.name)")
            }

            let copied = try await MigrationFixture.contents(of: target)
            #expect(copied == (try await MigrationFixture.contents(of: source)))
            #expect(copied.tokens[0].contains { $0.revokedAt != nil } && copied.tokens[0].contains { $0.workload != nil })
            #expect(copied.groups.flatMap { $0 }.contains { $0.version == 2 })

            var verifier = AuditChain.Verifier()
            try verifier.check(copied.audit)
            #expect(verifier.head == copied.audit.last?.hash)
            // New writes link after the copied head, on the rotated project's generation 2 key too.
            _ = try await target.putGroup(Fixtures.definition(name: "After"), in: MigrationFixture.rotated, at: .now())
            let after = try await target.auditEntries(AuditQuery(after: verifier.count, limit: 10))
            #expect(after.map(\.sequence) == [verifier.count + 1])
            try verifier.check(after)
            #expect(try await target.group(id: "after", in: MigrationFixture.rotated)?.version == 1)
        }
    }

    @Test func aTargetWithDataIsRefusedAndLeftUnchanged() async throws {
        let (source, _) = try await makeSource()
        let target = try await makeTarget()
        try await target.whileRunning {
            _ = try await StoreMigration(from: source, to: target).run()
            _ = try await source.putGroup(Fixtures.definition(name: "Later"), in: Fixtures.demo, at: .now())
            let before = try await MigrationFixture.contents(of: target)
            let error = await #expect(throws: StoreError.self) { try await StoreMigration(from: source, to: target).run() }
            #expect(error?.code == .notEmpty)
            #expect(error?.message.contains("not empty") == true)
            #expect(try await MigrationFixture.contents(of: target) == before)
        }
    }

    @Test func aCopyThatFailsMidwayLeavesTheTargetEmptyAndCanBeRunAgain() async throws {
        let (source, path) = try await makeSource()
        // A group naming a data key generation that does not exist: SQLite does not check it, PostgreSQL refuses the
        // row, after teams, tokens and projects went in within the same transaction.
        let database = try DatabaseQueue(path: path)
        try await database.write { db in
            try db.execute(sql: "UPDATE secret_group SET data_key_generation = 9 WHERE project_id = 'demo' AND id = 'example-secret'")
        }
        let target = try await makeTarget()
        try await target.whileRunning {
            await #expect(throws: (any Error).self) { try await StoreMigration(from: source, to: target).run() }
            #expect(try await target.isEmpty())
            #expect(try await target.auditEntries(AuditQuery(limit: 10)).isEmpty)
            try await database.write { db in
                try db.execute(sql: "UPDATE secret_group SET data_key_generation = 1 WHERE project_id = 'demo' AND id = 'example-secret'")
            }
            #expect(try await StoreMigration(from: source, to: target).run().isVerified)
        }
    }

    @Test func aSourceWithAnUnfinishedRotationIsRefused() async throws {
        let (source, path) = try await makeSource()
        let database = try DatabaseQueue(path: path)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id)
                    SELECT team_id, project_id, 5, wrapped, master_key_id FROM data_key WHERE project_id = 'demo'
                    """
            )
        }
        let target = try await makeTarget()
        try await target.whileRunning {
            let error = await #expect(throws: StoreError.self) { try await StoreMigration(from: source, to: target).run() }
            #expect(error?.code == .unfinishedRotation)
            // Refused before the target is touched: not even the schema is created.
            let touched = try await target.hasSchema()
            #expect(!touched)
        }
    }
}
