import CofferCore
import CofferCrypto
import Foundation
import PostgresNIO

extension PostgresStore {
    public func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        let (group, outcome) = try await write { connection -> (SecretGroup, WriteOutcome) in
            let keys = try await self.keys(for: scope, on: connection)
            guard let existing = try await self.fetchGroup(id: definition.id, in: scope, keys: keys, forUpdate: true, on: connection) else {
                // If-Match names a version of something that must exist.
                guard expectedVersion == nil || expectedVersion == 0 else { throw StoreError.versionMismatch }
                let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
                // A concurrent PUT of the same new name makes this insert fail with a unique violation once that PUT
                // commits; `write` then runs this closure again, which finds and updates the group it created.
                try await self.insert(group, in: scope, keys: keys, on: connection)
                try await self.appendAudit(.groupChange(from: nil, to: group, in: scope, at: now, by: actor), on: connection)
                return (group, .created)
            }
            try StoreError.check(expected: expectedVersion, current: existing.version)
            let (next, outcome) = existing.put(definition, at: now)
            if outcome == .updated {
                try await self.update(next, in: scope, keys: keys, on: connection)
                try await self.appendAudit(.groupChange(from: existing, to: next, in: scope, at: now, by: actor), on: connection)
            }
            return (next, outcome)
        }
        return (group, outcome)
    }

    public func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        let actor = AuditActor.current
        return try await write { connection in
            let keys = try await self.keys(for: scope, on: connection)
            let existing = try await connection.rows(
                "SELECT 1 FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(definition.id)",
                logger: self.logger
            )
            guard existing.isEmpty else { throw StoreError.groupExists }
            let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
            try await self.insert(group, in: scope, keys: keys, on: connection)
            try await self.appendAudit(.groupChange(from: nil, to: group, in: scope, at: now, by: actor), on: connection)
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
        let (group, outcome) = try await write { connection -> (SecretGroup, WriteOutcome) in
            let keys = try await self.keys(for: scope, on: connection)
            guard let existing = try await self.fetchGroup(id: id, in: scope, keys: keys, forUpdate: true, on: connection) else {
                throw StoreError.groupNotFound(id)
            }
            try StoreError.check(expected: expectedVersion, current: existing.version)
            let (next, outcome) = existing.put(try change(existing.definition), at: now)
            if outcome == .updated {
                try await self.update(next, in: scope, keys: keys, on: connection)
                try await self.appendAudit(.groupChange(from: existing, to: next, in: scope, at: now, by: actor), on: connection)
            }
            return (next, outcome)
        }
        return (group, outcome)
    }

    public func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        let actor = AuditActor.current
        return try await write { connection in
            let versions = try await connection.values(
                Int.self,
                "SELECT version FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(id) FOR UPDATE",
                logger: self.logger
            )
            guard let version = versions.first else { return false }
            try StoreError.check(expected: expectedVersion, current: version)
            try await connection.execute(
                "DELETE FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(id)",
                logger: self.logger
            )
            try await self.appendAudit(
                .change(.delete, .secret, id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor),
                on: connection
            )
            return true
        }
    }

    public func group(id: String, in scope: ProjectScope) async throws -> SecretGroup? {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection) else { return nil }
            return try await self.fetchGroup(id: id, in: scope, keys: keys, forUpdate: false, on: connection)
        }
    }

    public func groups(in scope: ProjectScope) async throws -> [SecretGroup] {
        try await read { connection in
            guard let keys = try await self.existingKeys(for: scope, on: connection) else { return [] }
            return try await connection.rows(
                "SELECT * FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY id",
                logger: self.logger
            ).map { try self.decodeGroup($0, in: scope, keys: keys) }
        }
    }

    public func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) async throws -> [SecretGroupSummary] {
        try await read { connection in
            let rows: [StoredRow]
            if let after {
                rows = try await connection.rows(
                    """
                    SELECT id, name, description, type, secret_type, priority, tags, stage_id, restrictions FROM secret_group
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id > \(after) ORDER BY id LIMIT \(limit)
                    """,
                    logger: self.logger
                )
            } else {
                rows = try await connection.rows(
                    """
                    SELECT id, name, description, type, secret_type, priority, tags, stage_id, restrictions FROM secret_group
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY id LIMIT \(limit) OFFSET \(offset)
                    """,
                    logger: self.logger
                )
            }
            return try rows.map { row in
                SecretGroupSummary(
                    projectId: scope.projectId,
                    definition: try self.decodeDefinition(row, secrets: SecretValues(), dependencies: false)
                )
            }
        }
    }

    /// The group with this id, values opened; `forUpdate` locks its row until the transaction ends.
    func fetchGroup(
        id: String,
        in scope: ProjectScope,
        keys: PostgresProjectKeys,
        forUpdate: Bool,
        on connection: PostgresConnection
    ) async throws
        -> SecretGroup?
    {
        let row = try await connection.row(
            """
            SELECT * FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(id)
            \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        return try row.map { try decodeGroup($0, in: scope, keys: keys) }
    }

    func decodeGroup(_ row: StoredRow, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> SecretGroup {
        let id: String = try row["id"]
        let version: Int = try row["version"]
        let context = SealContext.groupValues(team: scope.teamId, project: scope.projectId, group: id, version: version)
        let secrets = try StoredJSON.decode(SecretValues.self, from: try keys.open(row, column: "sealed_values", context: context))
        return SecretGroup(
            projectId: scope.projectId,
            definition: try decodeDefinition(row, secrets: secrets, dependencies: true),
            version: version,
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]),
            updatedAt: Timestamp(millisecondsSinceEpoch: try row["updated_at"])
        )
    }

    /// A definition from a row's metadata columns; without `dependencies` (a summary row) the lists stay empty.
    func decodeDefinition(_ row: StoredRow, secrets: SecretValues, dependencies: Bool) throws -> SecretGroupDefinition {
        guard let type = GroupType(rawValue: try row["type"]), let secretType = SecretType(rawValue: try row["secret_type"]) else {
            throw StoreError(.corrupted, "Secret group '\(try row["id"] as String)' has an unknown type")
        }
        return SecretGroupDefinition(
            name: try row["name"],
            description: try row["description"],
            type: type,
            secretType: secretType,
            priority: try row["priority"],
            tags: try StoredJSON.decode([String].self, from: try row["tags"] as String),
            stageId: try row["stage_id"],
            restrictions: try StoredJSON.decode(Restrictions.self, from: try row["restrictions"] as String),
            addonDependencies: dependencies ? try StoredJSON.decode([AddonDependency].self, from: try row["addon_dependencies"] as String) : [],
            externalAddonDependencies: dependencies
                ? try StoredJSON.decode([AddonDependency].self, from: try row["external_addon_dependencies"] as String) : [],
            secrets: secrets
        )
    }

    /// The group's values sealed for its id and version under the current data key.
    func sealedValues(of group: SecretGroup, in scope: ProjectScope, keys: PostgresProjectKeys) throws -> Data {
        let context = SealContext.groupValues(team: scope.teamId, project: scope.projectId, group: group.id, version: group.version)
        return try keys.current().seal(try StoredJSON.encode(group.definition.secrets), context: context)
    }

    func insert(_ group: SecretGroup, in scope: ProjectScope, keys: PostgresProjectKeys, on connection: PostgresConnection) async throws {
        let definition = group.definition
        let sealed = try sealedValues(of: group, in: scope, keys: keys)
        try await connection.execute(
            """
            INSERT INTO secret_group (team_id, project_id, id, name, description, type, secret_type, priority, tags, stage_id,
                restrictions, addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version,
                created_at, updated_at)
            VALUES (\(scope.teamId), \(scope.projectId), \(group.id), \(definition.name), \(definition.description),
                \(definition.type.rawValue), \(definition.secretType.rawValue), \(definition.priority),
                \(try StoredJSON.encodeString(definition.tags)), \(definition.stageId), \(try StoredJSON.encodeString(definition.restrictions)),
                \(try StoredJSON.encodeString(definition.addonDependencies)),
                \(try StoredJSON.encodeString(definition.externalAddonDependencies)), \(sealed), \(keys.currentGeneration),
                \(group.version), \(group.createdAt.millisecondsSinceEpoch), \(group.updatedAt.millisecondsSinceEpoch))
            """,
            logger: logger
        )
    }

    func update(_ group: SecretGroup, in scope: ProjectScope, keys: PostgresProjectKeys, on connection: PostgresConnection) async throws {
        let definition = group.definition
        let sealed = try sealedValues(of: group, in: scope, keys: keys)
        try await connection.execute(
            """
            UPDATE secret_group SET name = \(definition.name), description = \(definition.description), type = \(definition.type.rawValue),
                secret_type = \(definition.secretType.rawValue), priority = \(definition.priority),
                tags = \(try StoredJSON.encodeString(definition.tags)), stage_id = \(definition.stageId),
                restrictions = \(try StoredJSON.encodeString(definition.restrictions)),
                addon_dependencies = \(try StoredJSON.encodeString(definition.addonDependencies)),
                external_addon_dependencies = \(try StoredJSON.encodeString(definition.externalAddonDependencies)),
                sealed_values = \(sealed), data_key_generation = \(keys.currentGeneration), version = \(group.version),
                created_at = \(group.createdAt.millisecondsSinceEpoch), updated_at = \(group.updatedAt.millisecondsSinceEpoch)
            WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(group.id)
            """,
            logger: logger
        )
    }
}
