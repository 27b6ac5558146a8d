import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import GRDB
import Testing

/// Master key and data key rotation in the store: under concurrent use from another store on the same file (as the
/// CLI process would run it next to a server), killed midway, and against tampered key rows.
@Suite struct KeyRotationTests {
    let directory = TemporaryDirectory()
    var path: String { directory.path + "/coffer.sqlite" }
    let old = MasterKey.generate()
    let new = MasterKey.generate()

    func bytesOnDisk() throws -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix)))
        }
        return bytes
    }

    func generations(_ scope: ProjectScope) async throws -> [Int] {
        try await DatabaseQueue(path: path).read { db in
            try Int.fetchAll(
                db,
                sql: "SELECT generation FROM data_key WHERE team_id = ? AND project_id = ? ORDER BY generation",
                arguments: [scope.teamId, scope.projectId]
            )
        }
    }

    @Test func rotationsUnderConcurrentReadsAndWritesThenOnlyTheNewKeyOpens() async throws {
        // The key file the serving store re-reads when it meets a key it lacks.
        let keyFile = Shared(MasterKeyring(primary: old))
        let serving = try SQLiteStore(path: path, keyring: keyFile.value, reload: { keyFile.value })
        try await RotationFixture.seed(serving, projects: 4, groups: 3)
        let acknowledged = Shared<[ProjectScope: SecretGroup]>([:])
        let stop = Shared(false)
        let failures = Shared<[String]>([])

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await RotationFixture.write(to: serving, projects: 4, until: stop, acknowledged: acknowledged, failures: failures) }
            try await Task.sleep(for: .milliseconds(50))
            // What `coffer keys rotate` does from its own process: new key first in the file, re-wrap, new key only.
            keyFile.value = MasterKeyring(primary: new, others: [old])
            let rotating = try SQLiteStore(path: path, keyring: keyFile.value)
            let rewrap = try await rotating.rewrapDataKeys(batchSize: 1)
            #expect(rewrap.rewrapped >= 4)
            #expect(rewrap.previousKeyIDs == [old.id])
            #expect(try await rotating.masterKeyIDsInUse() == [new.id])
            keyFile.value = MasterKeyring(primary: new)
            // A project the serving store creates now is wrapped by the new key although its own ring started with the
            // old one: it follows the primary the database records.
            _ = try await serving.createProject(ProjectDefinition(name: "Late"), team: "default", at: .now())
            // Then `coffer keys rotate-data-keys`, still next to the live writers.
            let resealed = try await rotating.rotateDataKeys(batchSize: 2)
            #expect(resealed.count == 5)
            try rotating.close()
            try await Task.sleep(for: .milliseconds(50))
            stop.value = true
            try await tasks.waitForAll()
        }
        #expect(failures.value.isEmpty, "\(failures.value.prefix(3))")
        let before = try await RotationFixture.snapshot(serving, projects: 4)
        try serving.close()

        let reopened = try SQLiteStore(path: path, masterKey: new)
        for (scope, group) in acknowledged.value {
            #expect(try await reopened.group(id: "live", in: scope) == group, "the last acknowledged write of \(scope.projectId) reads back")
        }
        #expect(try await RotationFixture.snapshot(reopened, projects: 4) == before)
        #expect(try await reopened.masterKeyIDsInUse() == [new.id])
        #expect(try await generations(RotationFixture.scope(0)) == [2])
        try reopened.close()

        let bytes = try bytesOnDisk()
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path, masterKey: old) }
        #expect(error?.code == .masterKeyMismatch)
        #expect(try bytesOnDisk() == bytes)
    }

    @Test func dataKeyRotationKilledMidwayStaysReadableAndARerunFinishes() async throws {
        let store = try SQLiteStore(path: path, masterKey: old)
        try await RotationFixture.seed(store, projects: 2, groups: 5)
        let before = try await RotationFixture.snapshot(store, projects: 2)
        struct Killed: Error {}
        await #expect(throws: Killed.self) {
            _ = try await store.rotateDataKeys(batchSize: 2) { batch in if batch == 1 { throw Killed() } }
        }
        try store.close()

        let restarted = try SQLiteStore(path: path, masterKey: old)
        #expect(try await RotationFixture.snapshot(restarted, projects: 2) == before, "mixed generations read, versions unchanged")
        #expect(try await generations(RotationFixture.scope(0)) == [1, 2])
        // What a server start does: finish the interrupted rotation without starting another.
        let finished = try await restarted.finishDataKeyRotations(batchSize: 2)
        #expect(finished.map(\.scope) == [RotationFixture.scope(0)])
        #expect(finished.first?.resealed == 10, "five groups and the version each recorded")
        #expect(finished.first?.deletedKeys == 1)
        #expect(try await generations(RotationFixture.scope(0)) == [2])

        await #expect(throws: Killed.self) {
            _ = try await restarted.rotateDataKeys(batchSize: 3) { batch in if batch == 2 { throw Killed() } }
        }
        let rerun = try await restarted.rotateDataKeys(batchSize: 3)
        #expect(rerun.map(\.generation) == [4, 2], "project-0 was at 2 and its killed rotation made 3")
        #expect(rerun.map(\.resealed) == [12, 12], "groups, versions, addons and workloads")
        #expect(try await generations(RotationFixture.scope(0)) == [4])
        #expect(try await generations(RotationFixture.scope(1)) == [2])
        #expect(try await RotationFixture.snapshot(restarted, projects: 2) == before)
        #expect(try await restarted.finishDataKeyRotations().isEmpty)
    }

    @Test func masterRewrapKilledMidwayReadsWithBothKeysAndARerunFinishes() async throws {
        let store = try SQLiteStore(path: path, masterKey: old)
        try await RotationFixture.seed(store, projects: 4, groups: 2)
        let before = try await RotationFixture.snapshot(store, projects: 4)
        try store.close()
        struct Killed: Error {}
        let both = MasterKeyring(primary: new, others: [old])
        let rotating = try SQLiteStore(path: path, keyring: both)
        await #expect(throws: Killed.self) {
            _ = try await rotating.rewrapDataKeys(batchSize: 1) { batch in if batch == 1 { throw Killed() } }
        }
        try rotating.close()

        #expect(throws: StoreError.self) { try SQLiteStore(path: path, masterKey: new) }  // the check value is still the old key's
        let partial = try SQLiteStore(path: path, masterKey: old)
        await #expect(throws: StoreError.self) { try await RotationFixture.snapshot(partial, projects: 4) }
        try partial.close()
        let restarted = try SQLiteStore(path: path, keyring: both)
        #expect(try await RotationFixture.snapshot(restarted, projects: 4) == before)
        #expect(try await restarted.masterKeyIDsInUse() == [old.id, new.id])
        let rerun = try await restarted.rewrapDataKeys()
        #expect(rerun.rewrapped == 3)
        try restarted.close()
        let onlyNew = try SQLiteStore(path: path, masterKey: new)
        #expect(try await RotationFixture.snapshot(onlyNew, projects: 4) == before)
    }
}

extension KeyRotationTests {
    func tamperedStore(keyring: MasterKeyring? = nil, _ tamper: @escaping @Sendable (Database) throws -> Void) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: path, masterKey: old)
        try await RotationFixture.seed(store, projects: 2, groups: 1)
        try store.close()
        try await DatabaseQueue(path: path).write(tamper)
        return try SQLiteStore(path: path, keyring: keyring ?? MasterKeyring(primary: old))
    }

    @Test func aDataKeyNamingAnUnknownMasterKeyFailsNamingTheIDOnly() async throws {
        let store = try await tamperedStore {
            try $0.execute(sql: "UPDATE data_key SET master_key_id = '0123456789abcdef' WHERE project_id = 'project-0'")
        }
        let error = await #expect(throws: StoreError.self) { try await store.groups(in: RotationFixture.scope(0)) }
        #expect(error?.code == .unknownMasterKey)
        #expect(error?.message.contains("0123456789abcdef") == true)
        #expect(error?.message.contains(old.base64) == false)
        #expect(try await store.groups(in: RotationFixture.scope(1)).count == 1)
    }

    @Test func aDataKeyNamingAnotherRingKeyFailsToOpen() async throws {
        let other = MasterKey.generate()
        let store = try await tamperedStore(keyring: MasterKeyring(primary: old, others: [other])) {
            try $0.execute(sql: "UPDATE data_key SET master_key_id = ? WHERE project_id = 'project-0'", arguments: [other.id])
        }
        let error = await #expect(throws: StoreError.self) { try await store.groups(in: RotationFixture.scope(0)) }
        #expect(error?.code == .corrupted)
    }

    @Test func wrappedKeysSwappedBetweenProjectsFailToOpen() async throws {
        let store = try await tamperedStore { db in
            let wrapped = try Data.fetchAll(db, sql: "SELECT wrapped FROM data_key ORDER BY project_id")
            try db.execute(sql: "UPDATE data_key SET wrapped = ? WHERE project_id = 'project-0'", arguments: [wrapped[1]])
            try db.execute(sql: "UPDATE data_key SET wrapped = ? WHERE project_id = 'project-1'", arguments: [wrapped[0]])
        }
        for index in 0..<2 {
            let error = await #expect(throws: StoreError.self) { try await store.groups(in: RotationFixture.scope(index)) }
            #expect(error?.code == .corrupted)
        }
    }
}
