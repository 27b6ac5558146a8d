import CofferCore
import CofferCrypto
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The project's keys; `projectNotFound` if the project does not exist.
    func keys(for scope: ProjectScope, on connection: PostgresConnection) async throws -> PostgresProjectKeys {
        guard let keys = try await existingKeys(for: scope, on: connection) else { throw StoreError.projectNotFound(scope) }
        return keys
    }

    /// The project's keys (every generation's wrapped bytes, unwrapped on first use), nil if the project does not exist.
    func existingKeys(for scope: ProjectScope, on connection: PostgresConnection) async throws -> PostgresProjectKeys? {
        let rows = try await connection.rows(
            """
            SELECT p.data_key_generation AS current, d.generation, d.wrapped, d.master_key_id
            FROM project p LEFT JOIN data_key d ON d.team_id = p.team_id AND d.project_id = p.id
            WHERE p.team_id = \(scope.teamId) AND p.id = \(scope.projectId)
            """,
            logger: logger
        )
        guard let first = rows.first else { return nil }
        var wrapped: [Int: PostgresProjectKeys.Wrapped] = [:]
        for row in rows {
            guard let generation = try row["generation"] as Int? else { continue }
            wrapped[generation] = PostgresProjectKeys.Wrapped(bytes: try row["wrapped"], masterKeyID: try row["master_key_id"])
        }
        return PostgresProjectKeys(scope: scope, currentGeneration: try first["current"], wrapped: wrapped, store: self)
    }

    /// One generation of a project's data key, unwrapped by the master key that wraps it.
    func dataKey(of scope: ProjectScope, generation: Int, wrapped: Data, masterKeyID: String) throws -> DataKey {
        try dataKeys.key(for: scope, generation: generation, wrapped: wrapped, masterKeyID: masterKeyID) {
            let masterKey = try keyring.key(id: masterKeyID)
            do {
                return try masterKey.unwrap(wrapped, context: .dataKey(team: scope.teamId, project: scope.projectId, generation: generation))
            } catch {
                throw StoreError.dataKeyUnreadable(scope, generation: generation, masterKeyID: masterKeyID)
            }
        }
    }

    /// The master key that wraps new data keys: the one the database records as primary.
    func wrappingKey(on connection: PostgresConnection) async throws -> MasterKey {
        let ids = try await connection.values(String.self, "SELECT master_key_id FROM master_key_check WHERE id = 1", logger: logger)
        return try keyring.key(id: ids.first ?? keyring.ring.primary.id)
    }

    /// Stores a fresh data key as `generation` of the project, wrapped by the wrapping key.
    func insertDataKey(_ dataKey: DataKey, of scope: ProjectScope, generation: Int, on connection: PostgresConnection) async throws {
        let masterKey = try await wrappingKey(on: connection)
        let wrapped = try masterKey.wrap(dataKey, context: .dataKey(team: scope.teamId, project: scope.projectId, generation: generation))
        try await connection.execute(
            """
            INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id)
            VALUES (\(scope.teamId), \(scope.projectId), \(generation), \(wrapped), \(masterKey.id))
            """,
            logger: logger
        )
    }
}
