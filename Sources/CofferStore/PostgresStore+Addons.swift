import CofferCore
import CofferCrypto
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon {
        let actor = AuditActor.current
        return try await write { connection in
            let keys = try await self.keys(for: scope, on: connection)
            guard try await self.fetchAddonRow(id: definition.id, kind: kind, in: scope, forUpdate: false, on: connection) == nil else {
                throw StoreError.addonExists(definition.id, kind: kind)
            }
            let addon = Addon(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            let sealed = try self.sealedCredentials(of: addon, in: scope, keys: keys)
            try await connection.execute(
                """
                INSERT INTO addon (team_id, project_id, kind, id, name, type, version_label, sealed_credentials, data_key_generation,
                    version, created_at, updated_at)
                VALUES (\(scope.teamId), \(scope.projectId), \(kind.rawValue), \(addon.id), \(definition.name), \(definition.type),
                    \(definition.version), \(sealed), \(keys.currentGeneration), \(addon.version), \(now.millisecondsSinceEpoch),
                    \(now.millisecondsSinceEpoch))
                """,
                logger: self.logger
            )
            try await self.appendAudit(.addonChange(from: nil, to: addon, in: scope, at: now, by: actor), on: connection)
            return addon
        }
    }

    public func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon] {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection) else { return [] }
            return try await connection.rows(
                "SELECT * FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue) ORDER BY id",
                logger: self.logger
            ).map { try self.decodeAddon($0, kind: kind, in: scope, keys: keys) }
        }
    }

    public func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon? {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection),
                let row = try await self.fetchAddonRow(id: id, kind: kind, in: scope, forUpdate: false, on: connection)
            else { return nil }
            return try self.decodeAddon(row, kind: kind, in: scope, keys: keys)
        }
    }

    public func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) async throws -> Addon {
        let actor = AuditActor.current
        return try await write { connection in
            let keys = try await self.keys(for: scope, on: connection)
            guard let row = try await self.fetchAddonRow(id: id, kind: kind, in: scope, forUpdate: true, on: connection) else {
                throw StoreError.addonNotFound(id, kind: kind)
            }
            let existing = try self.decodeAddon(row, kind: kind, in: scope, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return existing }
            let sealed = try self.sealedCredentials(of: next, in: scope, keys: keys)
            let definition = next.definition
            try await connection.execute(
                """
                UPDATE addon SET name = \(definition.name), type = \(definition.type), version_label = \(definition.version),
                    sealed_credentials = \(sealed), data_key_generation = \(keys.currentGeneration), version = \(next.version),
                    created_at = \(next.createdAt.millisecondsSinceEpoch), updated_at = \(next.updatedAt.millisecondsSinceEpoch)
                WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue) AND id = \(id)
                """,
                logger: self.logger
            )
            try await self.appendAudit(.addonChange(from: existing, to: next, in: scope, at: now, by: actor), on: connection)
            return next
        }
    }

    public func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        return try await write { connection in
            guard try await self.fetchAddonRow(id: id, kind: kind, in: scope, forUpdate: true, on: connection) != nil else { return false }
            let column = kind == .addon ? "addon_dependencies" : "external_addon_dependencies"
            let linking = try await connection.values(
                String.self,
                """
                SELECT DISTINCT g.id FROM secret_group g, jsonb_array_elements(g.\(unescaped: column)::jsonb) d
                WHERE g.team_id = \(scope.teamId) AND g.project_id = \(scope.projectId) AND d ->> 'addonId' = \(id)
                ORDER BY g.id
                """,
                logger: self.logger
            )
            guard linking.isEmpty else { throw StoreError.addonInUse(id, kind: kind, groups: linking) }
            try await connection.execute(
                "DELETE FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind.rawValue) AND id = \(id)",
                logger: self.logger
            )
            try await self.appendAudit(
                .change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                on: connection
            )
            return true
        }
    }

    func fetchAddonRow(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        forUpdate: Bool,
        on connection: PostgresConnection
    ) async throws -> StoredRow? {
        try await fetchRow(of: .addon, kind: kind.rawValue, id: id, in: scope, forUpdate: forUpdate, on: connection)
    }

    func decodeAddon(_ row: StoredRow, kind: AddonKind, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> Addon {
        let id: String = try row["id"]
        let version: Int = try row["version"]
        let context = SealContext.addonCredentials(team: scope.teamId, project: scope.projectId, kind: kind.rawValue, addon: id, version: version)
        let credentials = try StoredJSON.decode([String: String].self, from: try keys.open(row, column: "sealed_credentials", context: context))
        return Addon(
            kind: kind,
            definition: AddonDefinition(name: try row["name"], type: try row["type"], version: try row["version_label"], credentials: credentials),
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: try row["updated_at"])
        )
    }

    /// The addon's credentials sealed for its id and version under the current data key.
    func sealedCredentials(of addon: Addon, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> Data {
        let context = SealContext.addonCredentials(
            team: scope.teamId,
            project: scope.projectId,
            kind: addon.kind.rawValue,
            addon: addon.id,
            version: addon.version
        )
        return try keys.current().seal(try StoredJSON.encode(addon.definition.credentials), context: context)
    }
}
