import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import Foundation
import GRDB
import Testing

/// What only the SQLite file can show: what is on disk, durability settings, and the master key guard.
@Suite struct SQLiteStoreTests {
    let directory = TemporaryDirectory()
    var path: String { directory.path + "/coffer.sqlite" }

    func openSeeded(_ key: MasterKey) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path, masterKey: key)
        try await store.bootstrap(team: Fixtures.team, token: Fixtures.token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
        return store
    }

    /// Every byte SQLite has written: the database, its write-ahead log and shared memory.
    func bytesOnDisk() throws -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix)))
        }
        return bytes
    }

    /// The writes of a batch share one read of their project's row and data keys, read again after a write that
    /// changes them or fails: a write after a rotation step seals under the new generation.
    @Test func aBatchRereadsItsProjectAfterAWriteThatChangesIt() async throws {
        let store = try await openSeeded(.generate())
        let scope = Fixtures.demo
        let seen = StoreWrite(reads: [.project(scope)]) { rows in
            WriteDecision(answer: "\(rows.project(scope)?.row.dataKeyGeneration ?? 0)/\(rows.project(scope)?.dataKeys.count ?? 0)")
        }
        let rotation = StoreWrite(reads: [.project(scope)]) { rows in
            let next = (rows.project(scope)?.row.dataKeyGeneration ?? 0) + 1
            let dataKey = try store.codec.newDataKey(for: scope, generation: next, wrappingKeyID: nil)
            return WriteDecision(answer: "rotated", changes: [.insertDataKey(dataKey), .setDataKeyGeneration(scope, generation: next)])
        }
        let failing = StoreWrite(reads: [.project(scope)]) { _ in throw StoreError.versionMismatch }
        let results = try await store.pool.writeWithoutTransaction { db in store.commit([seen, rotation, seen, failing, seen], db: db) }
        #expect(results.map { (try? $0.get())?.answer as? String } == ["1/1", "rotated", "2/2", nil, "2/2"])
        #expect(try await store.load([.project(scope)]).project(scope)?.row.dataKeyGeneration == 2)
    }

    @Test func runsInWALModeWithFullSynchronousCommits() async throws {
        let store = try SQLiteStore(path: path, masterKey: .generate())
        #expect(try store.journalMode() == "wal")
        #expect(try store.synchronousLevel() == 2)
        let relaxed = try SQLiteStore(path: directory.path + "/relaxed.sqlite", masterKey: .generate(), synchronous: .normal)
        #expect(try relaxed.synchronousLevel() == 1)
    }

    @Test func migrationsAreNamedAndRecorded() async throws {
        let store = try SQLiteStore(path: path, masterKey: .generate())
        try store.close()
        let names = try await DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(
            names == [
                "v1-teams-tokens-projects-secret-groups", "v2-addons", "v3-workloads", "v4-key-rotation", "v5-token-scopes", "v6-audit",
                "v7-history", "v8-change-feed",
            ]
        )
    }

    @Test func rawFileHoldsNoValues() async throws {
        let store = try await openSeeded(.generate())
        var definition = Fixtures.definition(variables: ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"])
        definition.secrets.files = ["/dir/fileName": SecretFile(data: Data("This is an example with a templated ${NODE_ENV} variable".utf8))]
        _ = try await store.putGroup(definition, in: Fixtures.demo, at: Fixtures.t0)
        let onDisk = try bytesOnDisk()
        try store.close()
        let everything = try bytesOnDisk() + onDisk
        for needle in ["production", "some_connection_string", "This is an example", "VGhpcyBpcyBhbiBleGFtcGxl"] {
            #expect(everything.range(of: Data(needle.utf8)) == nil, "found \(needle) in the raw file")
        }
        try await expectNamesOnlyInTheAuditLog(["NODE_ENV", "MONGO_DB", "/dir/fileName"])
        #expect(everything.range(of: Data("Example Secret".utf8)) != nil, "metadata is stored in the clear; the check above is meaningful")
    }

    @Test func ciphertextMovedToAnotherGroupFailsToOpen() async throws {
        let key = MasterKey.generate()
        let store = try await openSeeded(key)
        _ = try await store.putGroup(Fixtures.definition(name: "Group A"), in: Fixtures.demo, at: Fixtures.t0)
        _ = try await store.putGroup(Fixtures.definition(name: "Group B", variables: ["B": "b"]), in: Fixtures.demo, at: Fixtures.t0)
        try store.close()
        try await DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    UPDATE secret_group SET sealed_values = (SELECT sealed_values FROM secret_group WHERE id = 'group-a')
                    WHERE id = 'group-b'
                    """
            )
        }
        let reopened = try SQLiteStore(path: path, masterKey: key)
        #expect(try await reopened.group(id: "group-a", in: Fixtures.demo) != nil)
        await #expect(throws: CryptoError.self) { try await reopened.group(id: "group-b", in: Fixtures.demo) }
    }

    @Test func ciphertextRolledBackToAnOlderVersionFailsToOpen() async throws {
        let key = MasterKey.generate()
        let store = try await openSeeded(key)
        _ = try await store.putGroup(Fixtures.definition(variables: ["V": "1"]), in: Fixtures.demo, at: Fixtures.t0)
        try store.close()
        let old = try await DatabaseQueue(path: path).read { try Data.fetchOne($0, sql: "SELECT sealed_values FROM secret_group")! }
        let reopened = try SQLiteStore(path: path, masterKey: key)
        _ = try await reopened.putGroup(Fixtures.definition(variables: ["V": "2"]), in: Fixtures.demo, at: .now())
        try reopened.close()
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE secret_group SET sealed_values = ?", arguments: [old]) }
        let again = try SQLiteStore(path: path, masterKey: key)
        await #expect(throws: CryptoError.self) { try await again.group(id: "example-secret", in: Fixtures.demo) }
    }

    @Test func groupSurvivesReopening() async throws {
        let key = MasterKey.generate()
        let store = try await openSeeded(key)
        let (written, _) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        try store.close()
        let reopened = try SQLiteStore(path: path, masterKey: key)
        #expect(try await reopened.group(id: "example-secret", in: Fixtures.demo) == written)
        #expect(try await reopened.token(hash: Fixtures.token.secretHash) == Fixtures.token)
    }

    @Test func wrongMasterKeyIsRefusedAndChangesNothing() async throws {
        let key = MasterKey.generate()
        let store = try await openSeeded(key)
        let (written, _) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        try store.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path, masterKey: .generate()) }
        #expect(error?.code == .masterKeyMismatch)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let reopened = try SQLiteStore(path: path, masterKey: key)
        #expect(try await reopened.group(id: "example-secret", in: Fixtures.demo) == written)
    }

}

extension SQLiteStoreTests {
    @Test func addonCredentialsAreSealedOnDisk() async throws {
        let store = try await openSeeded(.generate())
        let definition = AddonDefinition(name: "Orders DB", type: "postgresql", credentials: ["PASSWORD": "s3cr3t-db-password"])
        _ = try await store.createAddon(definition, kind: .addon, in: Fixtures.demo, at: Fixtures.t0)
        let onDisk = try bytesOnDisk()
        try store.close()
        let everything = try bytesOnDisk() + onDisk
        #expect(everything.range(of: Data("s3cr3t-db-password".utf8)) == nil)
        try await expectNamesOnlyInTheAuditLog(["PASSWORD"])
        #expect(everything.range(of: Data("Orders DB".utf8)) != nil)
    }
}

extension SQLiteStoreTests {
    @Test func workloadValuesAreSealedOnDisk() async throws {
        let store = try await openSeeded(.generate())
        let values = WorkloadValues(runtimeEnvironment: ["API_KEY": "workload-own-secret-value"])
        _ = try await store.createWorkload(WorkloadDefinition(name: "Billing Worker", values: values), kind: .job, in: Fixtures.demo, at: Fixtures.t0)
        let onDisk = try bytesOnDisk()
        try store.close()
        let everything = try bytesOnDisk() + onDisk
        #expect(everything.range(of: Data("workload-own-secret-value".utf8)) == nil)
        try await expectNamesOnlyInTheAuditLog(["API_KEY"])
        #expect(everything.range(of: Data("Billing Worker".utf8)) != nil)
    }
}

extension SQLiteStoreTests {
    /// Key names are sealed with their values everywhere but in the audit log and the history's `changed_keys`, which
    /// record which keys changed by name: every other table's every column is searched.
    func expectNamesOnlyInTheAuditLog(_ names: [String]) async throws {
        let cells = try await DatabaseQueue(path: path).read { db -> [Data] in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit_entry'")
            var cells: [Data] = []
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    let columns = zip(row.columnNames, row.databaseValues)
                    for (column, value) in columns where !(table == "group_version" && column == "changed_keys") {
                        switch value.storage {
                        case .blob(let data): cells.append(data)
                        case .string(let text): cells.append(Data(text.utf8))
                        default: break
                        }
                    }
                }
            }
            return cells
        }
        let audit = try await DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT changed_keys FROM audit_entry") }.joined()
        for name in names {
            #expect(!cells.contains { $0.range(of: Data(name.utf8)) != nil }, "found \(name) outside the audit log")
            #expect(audit.contains(name), "the audit log names \(name); the search above is meaningful")
        }
    }
}
