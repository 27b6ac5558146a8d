import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    /// The project's keys; `projectNotFound` if the project does not exist.
    func keys(for scope: ProjectScope, in db: Database) throws -> ProjectKeys {
        guard let keys = try existingKeys(for: scope, in: db) else { throw StoreError.projectNotFound(scope) }
        return keys
    }

    /// The project's keys, nil if the project does not exist.
    func existingKeys(for scope: ProjectScope, in db: Database) throws -> ProjectKeys? {
        let generation = try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT data_key_generation FROM project WHERE team_id = ? AND id = ?"),
            arguments: [scope.teamId, scope.projectId]
        )
        return generation.map { ProjectKeys(scope: scope, currentGeneration: $0, store: self, db: db) }
    }

    /// One generation of a project's data key, unwrapped by the master key its row names.
    func dataKey(of scope: ProjectScope, generation: Int, in db: Database) throws -> DataKey {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT wrapped, master_key_id FROM data_key WHERE team_id = ? AND project_id = ? AND generation = ?"),
                arguments: [scope.teamId, scope.projectId, generation]
            )
        else { throw StoreError.dataKeyMissing(scope, generation: generation) }
        let wrapped: Data = row["wrapped"]
        let masterKeyID: String = row["master_key_id"]
        return try dataKeys.key(for: scope, generation: generation, wrapped: wrapped, masterKeyID: masterKeyID) {
            let masterKey = try keyring.key(id: masterKeyID)
            do {
                return try masterKey.unwrap(wrapped, context: .dataKey(team: scope.teamId, project: scope.projectId, generation: generation))
            } catch {
                throw StoreError.dataKeyUnreadable(scope, generation: generation, masterKeyID: masterKeyID)
            }
        }
    }

    /// The master key that wraps new data keys: the one the database records as primary, which may differ from the
    /// ring's primary while another process rotates (it records the new primary only once every key is under it).
    func wrappingKey(in db: Database) throws -> MasterKey {
        let id = try String.fetchOne(db, sql: "SELECT master_key_id FROM master_key_check WHERE id = 1") ?? keyring.ring.primary.id
        return try keyring.key(id: id)
    }

    /// Stores a fresh data key as `generation` of the project, wrapped by the wrapping key.
    func insertDataKey(_ dataKey: DataKey, of scope: ProjectScope, generation: Int, in db: Database) throws {
        let masterKey = try wrappingKey(in: db)
        let wrapped = try masterKey.wrap(dataKey, context: .dataKey(team: scope.teamId, project: scope.projectId, generation: generation))
        try db.execute(
            sql: "INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id) VALUES (?, ?, ?, ?, ?)",
            arguments: [scope.teamId, scope.projectId, generation, wrapped, masterKey.id]
        )
    }
}
