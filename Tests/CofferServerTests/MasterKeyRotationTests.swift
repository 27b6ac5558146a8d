import CofferCore
import CofferCrypto
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import Foundation
import Testing

/// `coffer keys rotate` as a library, on a real data directory and key file: killed midway, the key file as left opens
/// everything, a server start finishes the database side, a rerun finishes the file; refusals change nothing.
@Suite struct MasterKeyRotationTests {
    let directory = TemporaryPath.make()
    var keyFile: MasterKeyFile { MasterKeyFile(path: directory + "/master.key") }
    var databasePath: String { directory + "/coffer.sqlite" }
    var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.adminToken = ServerFixture.adminToken
        return configuration
    }

    /// A data directory as `coffer serve` leaves it (generated key), with `projects` projects of two groups each.
    func seeded(projects: Int) async throws -> [ProjectScope: [SecretGroup]] {
        let startup = try await Startup.open(configuration)
        defer { try? startup.store.close() }
        var groups: [ProjectScope: [SecretGroup]] = [:]
        for index in 0..<projects {
            let project = try await startup.store.createProject(ProjectDefinition(name: "P\(index)"), team: "default", at: .now())
            let scope = ProjectScope(team: "default", project: project.id)
            for name in ["One", "Two"] {
                let definition = SecretGroupDefinition(
                    name: name,
                    secretType: .environment,
                    priority: 0,
                    secrets: SecretValues(variables: ["V": "\(index)-\(name)"])
                )
                groups[scope, default: []].append(try await startup.store.putGroup(definition, in: scope, at: .now()).0)
            }
        }
        return groups
    }

    func expectEverythingReads(_ expected: [ProjectScope: [SecretGroup]], in store: SQLiteStore) async throws {
        for (scope, groups) in expected {
            #expect(try await store.groups(in: scope) == groups.sorted { $0.id < $1.id })
        }
    }

    @Test func killedMidwayTheKeyFileAsLeftOpensEverythingAndARerunFinishes() async throws {
        let expected = try await seeded(projects: 4)
        let old = try keyFile.read().primary
        let new = MasterKey.generate()
        struct Killed: Error {}
        var rotation = MasterKeyRotation(databasePath: databasePath, keyFile: keyFile, newKey: new)
        rotation.batchSize = 1
        rotation.afterBatch = { batch in if batch == 1 { throw Killed() } }
        await #expect(throws: Killed.self) { try await rotation.run() }
        #expect(try keyFile.read().ids == [new.id, old.id])
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // A restart with the key file as it was left reads everything and finishes the database side.
        let restarted = try await Startup.open(configuration)
        #expect(restarted.finishedRotation?.contains("3 data keys re-wrapped under master key \(new.id)") == true)
        try await expectEverythingReads(expected, in: restarted.store)
        try restarted.store.close()

        // Rerunning without a new key drops the old key from the file.
        let rerun = try await MasterKeyRotation(databasePath: databasePath, keyFile: keyFile, newKey: nil).run()
        #expect(rerun.rewrap.didNothing)
        #expect(rerun.droppedKeyIDs == [old.id])
        #expect(try keyFile.read().ids == [new.id])
        let onlyNew = try SQLiteStore(path: databasePath, masterKey: new)
        try await expectEverythingReads(expected, in: onlyNew)
        try onlyNew.close()
        #expect(throws: StoreError.self) { try SQLiteStore(path: databasePath, masterKey: old) }
    }

    @Test func aCompleteRotationLeavesOnlyTheNewKeyAndReportsIDs() async throws {
        let expected = try await seeded(projects: 2)
        let old = try keyFile.read().primary
        let new = MasterKey.generate()
        let outcome = try await MasterKeyRotation(databasePath: databasePath, keyFile: keyFile, newKey: new).run()
        #expect(outcome.rewrap.rewrapped == 2)
        #expect(outcome.rewrap.previousKeyIDs == [old.id])
        #expect(outcome.rewrap.primaryKeyID == new.id)
        #expect(try keyFile.read().ids == [new.id])
        let restarted = try await Startup.open(configuration)
        #expect(restarted.finishedRotation == nil)
        try await expectEverythingReads(expected, in: restarted.store)
    }

    @Test func aWrongCurrentKeyOrAMissingDatabaseChangesNothing() async throws {
        _ = try await seeded(projects: 1)
        let stranger = MasterKeyFile(path: directory + "/stranger.key")
        try stranger.write(MasterKeyring(primary: .generate()))
        let before = try Data(contentsOf: URL(fileURLWithPath: stranger.path))
        let error = await #expect(throws: StoreError.self) {
            try await MasterKeyRotation(databasePath: databasePath, keyFile: stranger, newKey: .generate()).run()
        }
        #expect(error?.code == .masterKeyMismatch)
        #expect(try Data(contentsOf: URL(fileURLWithPath: stranger.path)) == before)
        await #expect(throws: StartupError.self) {
            try await MasterKeyRotation(databasePath: directory + "/none.sqlite", keyFile: keyFile, newKey: .generate()).run()
        }
    }
}
