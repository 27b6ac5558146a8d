import CofferCore
import CofferCrypto
import CofferSQLite
import Foundation
import GRDB
import Testing

@testable import CofferStore

/// A database written before v4-key-rotation (data key inside `project`) opens, migrates and reads back, and rotates.
@Suite struct KeyRotationMigrationTests {
    let directory = TemporaryDirectory()
    var path: String { directory.path + "/coffer.sqlite" }

    /// A v3 database as the previous release wrote it: one project, one group sealed under its generation-1 key.
    func writeVersion3Database(masterKey: MasterKey, values: SecretValues) throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator(openingKeyID: "unused").migrate(queue, upTo: "v3-workloads")
        let dataKey = DataKey.generate()
        let scope = Fixtures.demo
        let context = SealContext.groupValues(team: scope.teamId, project: scope.projectId, group: "legacy", version: 3)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO master_key_check (id, check_value) VALUES (1, ?)", arguments: [try masterKey.makeCheckValue()])
            try db.execute(sql: "INSERT INTO team (id, name, created_at) VALUES ('default', 'Default', 0)")
            try db.execute(
                sql:
                    "INSERT INTO project (team_id, id, name, created_at, data_key_generation, wrapped_data_key) VALUES ('default', 'demo', 'Demo', 0, 1, ?)",
                arguments: [try masterKey.wrap(dataKey, context: .dataKey(team: "default", project: "demo", generation: 1))]
            )
            try db.execute(
                sql: """
                    INSERT INTO secret_group (team_id, project_id, id, name, type, secret_type, priority, tags, restrictions,
                        addon_dependencies, external_addon_dependencies, sealed_values, version, created_at, updated_at)
                    VALUES ('default', 'demo', 'legacy', 'Legacy', 'secret', 'environment', 0, '[]', ?, '[]', '[]', ?, 3, 0, 0)
                    """,
                arguments: [try StoredJSON.encodeString(Restrictions()), try dataKey.seal(try StoredJSON.encode(values), context: context)]
            )
        }
        try queue.close()
    }

    @Test func aVersion3DatabaseMigratesWithItsKeyNamedAndRotates() async throws {
        let old = MasterKey.generate()
        let values = SecretValues(variables: ["LEGACY": "still-readable"])
        try writeVersion3Database(masterKey: old, values: values)

        let store = try SQLiteStore(path: path, masterKey: old)
        #expect(try await store.group(id: "legacy", in: Fixtures.demo)?.definition.secrets == values)
        #expect(try await store.masterKeyIDsInUse() == [old.id])
        try store.close()

        let new = MasterKey.generate()
        let rotating = try SQLiteStore(path: path, keyring: MasterKeyring(primary: new, others: [old]))
        #expect(try await rotating.rewrapDataKeys().rewrapped == 1)
        #expect(try await rotating.rotateDataKeys().first?.resealed == 2, "the group and the version the history migration recorded for it")
        try rotating.close()
        let reopened = try SQLiteStore(path: path, masterKey: new)
        let group = try await reopened.group(id: "legacy", in: Fixtures.demo)
        #expect(group?.definition.secrets == values)
        #expect(group?.version == 3, "re-sealing keeps the version")
    }
}
