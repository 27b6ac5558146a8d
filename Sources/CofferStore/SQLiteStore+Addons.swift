import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    public func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard try self.fetchAddonRow(id: definition.id, kind: kind, in: scope, db: db) == nil else {
                throw StoreError.addonExists(definition.id, kind: kind)
            }
            let addon = Addon(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            try db.execute(
                sql: """
                    INSERT INTO addon (name, type, version_label, sealed_credentials, data_key_generation, version, created_at,
                        updated_at, team_id, project_id, kind, id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try self.columns(of: addon, in: scope, keys: keys)
            )
            try self.appendAudit(.addonChange(from: nil, to: addon, in: scope, at: now, by: actor), db: db)
            return addon
        }
    }

    public func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon] {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db) else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? ORDER BY id",
                arguments: [scope.teamId, scope.projectId, kind.rawValue]
            ).map { try self.decodeAddon($0, kind: kind, in: scope, keys: keys) }
        }
    }

    public func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon? {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db),
                let row = try self.fetchAddonRow(id: id, kind: kind, in: scope, db: db)
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
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard let row = try self.fetchAddonRow(id: id, kind: kind, in: scope, db: db) else { throw StoreError.addonNotFound(id, kind: kind) }
            let existing = try self.decodeAddon(row, kind: kind, in: scope, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return existing }
            try db.execute(
                sql: """
                    UPDATE addon SET name = ?, type = ?, version_label = ?, sealed_credentials = ?, data_key_generation = ?, version = ?,
                        created_at = ?, updated_at = ?
                    WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?
                    """,
                arguments: try self.columns(of: next, in: scope, keys: keys)
            )
            try self.appendAudit(.addonChange(from: existing, to: next, in: scope, at: now, by: actor), db: db)
            return next
        }
    }

    public func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        return try await batcher.write { db in
            guard try self.fetchAddonRow(id: id, kind: kind, in: scope, db: db) != nil else { return false }
            let column = kind == .addon ? "addon_dependencies" : "external_addon_dependencies"
            let linking = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT g.id FROM secret_group g, json_each(g.\(column)) d
                    WHERE g.team_id = ? AND g.project_id = ? AND json_extract(d.value, '$.addonId') = ?
                    ORDER BY g.id
                    """,
                arguments: [scope.teamId, scope.projectId, id]
            )
            guard linking.isEmpty else { throw StoreError.addonInUse(id, kind: kind, groups: linking) }
            try db.execute(
                sql: "DELETE FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                arguments: [scope.teamId, scope.projectId, kind.rawValue, id]
            )
            try self.appendAudit(
                .change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                db: db
            )
            return true
        }
    }

    func fetchAddonRow(id: String, kind: AddonKind, in scope: ProjectScope, db: Database) throws -> Row? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
            arguments: [scope.teamId, scope.projectId, kind.rawValue, id]
        )
    }

    func decodeAddon(_ row: Row, kind: AddonKind, in scope: ProjectScope, keys: ProjectKeys) throws -> Addon {
        let id: String = row["id"]
        let version: Int = row["version"]
        let context = SealContext.addonCredentials(team: scope.teamId, project: scope.projectId, kind: kind.rawValue, addon: id, version: version)
        let credentials = try StoredJSON.decode([String: String].self, from: try keys.open(row, column: "sealed_credentials", context: context))
        return Addon(
            kind: kind,
            definition: AddonDefinition(name: row["name"], type: row["type"], version: row["version_label"], credentials: credentials),
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: row["updated_at"])
        )
    }

    /// Column values of an addon in the order INSERT and UPDATE list them, credentials sealed for its id and version.
    func columns(of addon: Addon, in scope: ProjectScope, keys: ProjectKeys) throws -> StatementArguments {
        let context = SealContext.addonCredentials(
            team: scope.teamId,
            project: scope.projectId,
            kind: addon.kind.rawValue,
            addon: addon.id,
            version: addon.version
        )
        let sealed = try keys.current().seal(try StoredJSON.encode(addon.definition.credentials), context: context)
        let definition = addon.definition
        return [
            definition.name, definition.type, definition.version, sealed, keys.currentGeneration, addon.version,
            addon.createdAt.millisecondsSinceEpoch,
            addon.updatedAt.millisecondsSinceEpoch, scope.teamId, scope.projectId, addon.kind.rawValue, addon.id,
        ]
    }
}
