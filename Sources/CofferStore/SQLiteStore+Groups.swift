import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    public func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard let existing = try self.fetchGroup(id: definition.id, in: scope, keys: keys, db: db) else {
                // If-Match names a version of something that must exist.
                guard expectedVersion == nil || expectedVersion == 0 else { throw StoreError.versionMismatch }
                let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
                try self.insert(group, in: scope, keys: keys, db: db)
                try self.appendAudit(.groupChange(from: nil, to: group, in: scope, at: now, by: actor), db: db)
                return (group, .created)
            }
            try StoreError.check(expected: expectedVersion, current: existing.version)
            let (next, outcome) = existing.put(definition, at: now)
            if outcome == .updated {
                try self.update(next, in: scope, keys: keys, db: db)
                try self.appendAudit(.groupChange(from: existing, to: next, in: scope, at: now, by: actor), db: db)
            }
            return (next, outcome)
        }
    }

    public func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard try !self.groupExists(id: definition.id, in: scope, db: db) else { throw StoreError.groupExists }
            let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
            try self.insert(group, in: scope, keys: keys, db: db)
            try self.appendAudit(.groupChange(from: nil, to: group, in: scope, at: now, by: actor), db: db)
            return group
        }
    }

    public func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let keys = try self.keys(for: scope, in: db)
            guard let existing = try self.fetchGroup(id: id, in: scope, keys: keys, db: db) else { throw StoreError.groupNotFound(id) }
            try StoreError.check(expected: expectedVersion, current: existing.version)
            let (next, outcome) = existing.put(try change(existing.definition), at: now)
            if outcome == .updated {
                try self.update(next, in: scope, keys: keys, db: db)
                try self.appendAudit(.groupChange(from: existing, to: next, in: scope, at: now, by: actor), db: db)
            }
            return (next, outcome)
        }
    }

    public func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        let actor = AuditActor.current
        return try await batcher.write { db in
            let version = try Int.fetchOne(
                db,
                sql: "SELECT version FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?",
                arguments: [scope.teamId, scope.projectId, id]
            )
            guard let version else { return false }
            try StoreError.check(expected: expectedVersion, current: version)
            try db.execute(
                sql: "DELETE FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?",
                arguments: [scope.teamId, scope.projectId, id]
            )
            try self.appendAudit(.change(.delete, .secret, id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor), db: db)
            return true
        }
    }

    public func group(id: String, in scope: ProjectScope) async throws -> SecretGroup? {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db) else { return nil }
            return try self.fetchGroup(id: id, in: scope, keys: keys, db: db)
        }
    }

    public func groups(in scope: ProjectScope) async throws -> [SecretGroup] {
        try await pool.read { db in
            guard let keys = try self.existingKeys(for: scope, in: db) else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM secret_group WHERE team_id = ? AND project_id = ? ORDER BY id",
                arguments: [scope.teamId, scope.projectId]
            ).map { try self.decodeGroup($0, in: scope, keys: keys) }
        }
    }

    public func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) async throws -> [SecretGroupSummary] {
        try await pool.read { db in
            let columns = "id, name, description, type, secret_type, priority, tags, stage_id, restrictions"
            let rows: [Row]
            if let after {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(columns) FROM secret_group WHERE team_id = ? AND project_id = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [scope.teamId, scope.projectId, after, limit]
                )
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(columns) FROM secret_group WHERE team_id = ? AND project_id = ? ORDER BY id LIMIT ? OFFSET ?",
                    arguments: [scope.teamId, scope.projectId, limit, offset]
                )
            }
            return try rows.map { SecretGroupSummary(projectId: scope.projectId, definition: try self.decodeDefinition($0, secrets: SecretValues())) }
        }
    }

    func groupExists(id: String, in scope: ProjectScope, db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT 1 FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?",
            arguments: [scope.teamId, scope.projectId, id]
        ) ?? false
    }

    func fetchGroup(id: String, in scope: ProjectScope, keys: ProjectKeys, db: Database) throws -> SecretGroup? {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT * FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?"),
                arguments: [scope.teamId, scope.projectId, id]
            )
        else { return nil }
        return try decodeGroup(row, in: scope, keys: keys)
    }

    func decodeGroup(_ row: Row, in scope: ProjectScope, keys: ProjectKeys) throws -> SecretGroup {
        let id: String = row["id"]
        let sealed: Data = row["sealed_values"]
        if let opened = openedGroups.group(id: id, in: scope, sealed: sealed) { return opened }
        let version: Int = row["version"]
        let context = SealContext.groupValues(team: scope.teamId, project: scope.projectId, group: id, version: version)
        let secrets = try StoredJSON.decode(SecretValues.self, from: try keys.open(row, column: "sealed_values", context: context))
        let group = SecretGroup(
            projectId: scope.projectId,
            definition: try decodeDefinition(row, secrets: secrets),
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: row["updated_at"])
        )
        openedGroups.remember(group, in: scope, sealed: sealed)
        return group
    }

    /// A definition from a row's metadata columns; dependency lists default to empty when not selected.
    func decodeDefinition(_ row: Row, secrets: SecretValues) throws -> SecretGroupDefinition {
        guard let type = GroupType(rawValue: row["type"]), let secretType = SecretType(rawValue: row["secret_type"]) else {
            throw StoreError(.corrupted, "Secret group '\(row["id"] as String)' has an unknown type")
        }
        return SecretGroupDefinition(
            name: row["name"],
            description: row["description"],
            type: type,
            secretType: secretType,
            priority: row["priority"],
            tags: try StoredJSON.decode([String].self, from: row["tags"] as String),
            stageId: row["stage_id"],
            restrictions: try StoredJSON.decode(Restrictions.self, from: row["restrictions"] as String),
            addonDependencies: try (row["addon_dependencies"] as String?).map { try StoredJSON.decode([AddonDependency].self, from: $0) } ?? [],
            externalAddonDependencies: try (row["external_addon_dependencies"] as String?).map {
                try StoredJSON.decode([AddonDependency].self, from: $0)
            } ?? [],
            secrets: secrets
        )
    }

    /// Column values of a group, its values sealed for its id and version.
    func columns(of group: SecretGroup, in scope: ProjectScope, keys: ProjectKeys) throws -> StatementArguments {
        let definition = group.definition
        let context = SealContext.groupValues(team: scope.teamId, project: scope.projectId, group: group.id, version: group.version)
        let sealed = try keys.current().seal(try StoredJSON.encode(definition.secrets), context: context)
        openedGroups.remember(group, in: scope, sealed: sealed)
        return [
            definition.name, definition.description, definition.type.rawValue, definition.secretType.rawValue, definition.priority,
            try StoredJSON.encodeString(definition.tags), definition.stageId, try StoredJSON.encodeString(definition.restrictions),
            try StoredJSON.encodeString(definition.addonDependencies), try StoredJSON.encodeString(definition.externalAddonDependencies),
            sealed, keys.currentGeneration, group.version, group.createdAt.millisecondsSinceEpoch, group.updatedAt.millisecondsSinceEpoch,
            scope.teamId, scope.projectId, group.id,
        ]
    }

    func insert(_ group: SecretGroup, in scope: ProjectScope, keys: ProjectKeys, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO secret_group (name, description, type, secret_type, priority, tags, stage_id, restrictions,
                    addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version, created_at,
                    updated_at, team_id, project_id, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: try columns(of: group, in: scope, keys: keys))
    }

    func update(_ group: SecretGroup, in scope: ProjectScope, keys: ProjectKeys, db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE secret_group SET name = ?, description = ?, type = ?, secret_type = ?, priority = ?, tags = ?,
                    stage_id = ?, restrictions = ?, addon_dependencies = ?, external_addon_dependencies = ?,
                    sealed_values = ?, data_key_generation = ?, version = ?, created_at = ?, updated_at = ?
                WHERE team_id = ? AND project_id = ? AND id = ?
                """
        ).execute(arguments: try columns(of: group, in: scope, keys: keys))
    }
}
