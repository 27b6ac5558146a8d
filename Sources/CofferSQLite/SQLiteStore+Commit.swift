import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import GRDB

extension SQLiteStore {
    public func load(_ keys: [RowKey]) async throws -> LoadedRows {
        try await pool.read { db in try self.load(keys, db: db) }
    }

    public func commit(_ writes: [StoreWrite]) async -> [Result<WriteDecision, any Error>] {
        do {
            return try await pool.writeWithoutTransaction { db in self.commit(writes, db: db) }
        } catch {
            // The writer connection could not be had: nothing of the batch is stored.
            return Array(repeating: .failure(error), count: writes.count)
        }
    }

    /// Writes go to the batcher's drain on the writer connection: one writer, so batch after batch commits there without
    /// a hop through the concurrency pool in between.
    public func commitQueued(_ write: StoreWrite) async throws -> WriteDecision {
        try await batcher.write(write, drainingOn: { self.pool.asyncWriteWithoutTransaction($0) }) { writes, db in
            self.commit(writes, db: db)
        }
    }

    /// `writes` in one transaction on the writer connection `db`, which is outside any transaction. A statement the
    /// database refuses rolls the whole transaction back; the writes are then run again, each in a transaction of its
    /// own, so that only the one at fault fails. (A savepoint per write would roll back just that write, but costs two
    /// statements on every write for a failure that well-formed writes never meet.)
    package func commit(_ writes: [StoreWrite], db: Database) -> [Result<WriteDecision, any Error>] {
        var results: [Result<WriteDecision, any Error>] = []
        do {
            try db.inTransaction {
                results = try self.commitInTransaction(writes, db: db)
                return .commit
            }
            return results
        } catch {
            guard writes.count > 1 else { return [.failure(error)] }
            return writes.map { write in self.commit([write], db: db)[0] }
        }
    }

    /// Each write's changes in the open transaction, then the audit entries of those that succeeded; a statement that
    /// fails throws, failing the transaction. The writes of a batch mostly share a project, so its row and data keys
    /// are read once per batch, and again only after a write that may have changed them (or a refused one).
    private func commitInTransaction(_ writes: [StoreWrite], db: Database) throws -> [Result<WriteDecision, any Error>] {
        var results: [Result<WriteDecision, any Error>] = []
        var entries: [AuditEntry] = []
        var projects: [RowKey: LoadedRow] = [:]
        for write in writes {
            let decision: WriteDecision
            do {
                decision = try write.decide(try self.load(write.reads, db: db, projects: &projects))
            } catch {
                projects = [:]
                results.append(.failure(error))
                continue
            }
            if decision.changes.contains(where: \.mayChangeProjectRows) { projects = [:] }
            try self.apply(decision.changes, db: db)
            entries += decision.audit
            results.append(.success(decision))
        }
        results.record(try self.appendAudit(entries, db: db))
        return results
    }

    package func apply(_ changes: [RowChange], db: Database) throws {
        for change in changes {
            switch change {
            case .insertTeam(let team):
                try db.execute(
                    sql: "INSERT INTO team (id, name, created_at) VALUES (?, ?, ?)",
                    arguments: [team.id, team.name, team.createdAt.millisecondsSinceEpoch]
                )
            case .insertToken(let token):
                try db.execute(
                    sql: """
                        INSERT INTO token (id, team_id, name, secret_hash, role, project_ids, workload, created_at, expires_at, revoked_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        token.id, token.teamId, token.name, token.secretHash, token.roleName,
                        try token.projectIds.map(StoredJSON.encodeString), try token.workload.map(StoredJSON.encodeString),
                        token.createdAt.millisecondsSinceEpoch, token.expiresAt?.millisecondsSinceEpoch, token.revokedAt?.millisecondsSinceEpoch,
                    ]
                )
            case .updateToken(let token):
                try db.execute(
                    sql: "UPDATE token SET revoked_at = ? WHERE id = ? AND team_id = ?",
                    arguments: [token.revokedAt?.millisecondsSinceEpoch, token.id, token.teamId]
                )
            case .insertProject(let row, let dataKey):
                try db.execute(
                    sql: "INSERT INTO project (team_id, id, name, description, created_at, data_key_generation) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        row.project.teamId, row.project.id, row.project.name, row.project.description,
                        row.project.createdAt.millisecondsSinceEpoch, row.dataKeyGeneration,
                    ]
                )
                try db.execute(
                    sql: "INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id) VALUES (?, ?, ?, ?, ?)",
                    arguments: [dataKey.scope.teamId, dataKey.scope.projectId, dataKey.generation, dataKey.wrapped, dataKey.masterKeyID]
                )
            case .deleteProject(let scope):
                // Foreign keys cascade to everything in the project.
                try db.execute(sql: "DELETE FROM project WHERE team_id = ? AND id = ?", arguments: [scope.teamId, scope.projectId])
            case .insertGroup(let row):
                try Self.write(row, with: HotStatement(db, sql: Self.insertGroupSQL))
            case .updateGroup(let row):
                try Self.write(row, with: HotStatement(db, sql: Self.updateGroupSQL))
            case .deleteGroup(let scope, let id):
                try db.execute(
                    sql: "DELETE FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?",
                    arguments: [scope.teamId, scope.projectId, id]
                )
            case .insertGroupVersion(let version):
                try Self.insert(version, with: HotStatement(db, sql: Self.insertVersionSQL))
            case .resealGroupVersion(let version):
                try db.execute(
                    sql: """
                        UPDATE group_version SET sealed_values = ?, data_key_generation = ?
                        WHERE team_id = ? AND project_id = ? AND group_id = ? AND version = ?
                        """,
                    arguments: [
                        version.group?.sealedValues, version.group?.dataKeyGeneration, version.scope.teamId, version.scope.projectId,
                        version.groupId, version.version,
                    ]
                )
            case .deleteGroupVersions(let versions):
                let statement = try db.cachedStatement(
                    sql: "DELETE FROM group_version WHERE team_id = ? AND project_id = ? AND group_id = ? AND version = ?"
                )
                for version in versions {
                    try statement.execute(arguments: [version.scope.teamId, version.scope.projectId, version.groupId, version.version])
                }
            case .insertAddon(let row):
                try db.execute(
                    sql: """
                        INSERT INTO addon (name, type, version_label, sealed_credentials, data_key_generation, version, created_at,
                            updated_at, team_id, project_id, kind, id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: Self.arguments(of: row)
                )
            case .updateAddon(let row):
                try db.execute(
                    sql: """
                        UPDATE addon SET name = ?, type = ?, version_label = ?, sealed_credentials = ?, data_key_generation = ?, version = ?,
                            created_at = ?, updated_at = ?
                        WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?
                        """,
                    arguments: Self.arguments(of: row)
                )
            case .deleteAddon(let scope, let kind, let id):
                try db.execute(
                    sql: "DELETE FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                    arguments: [scope.teamId, scope.projectId, kind, id]
                )
            case .insertWorkload(let row):
                try db.execute(
                    sql: """
                        INSERT INTO workload (name, tags, stage_id, sealed_values, data_key_generation, version, created_at, updated_at,
                            team_id, project_id, kind, id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: Self.arguments(of: row)
                )
            case .updateWorkload(let row):
                try db.execute(
                    sql: """
                        UPDATE workload SET name = ?, tags = ?, stage_id = ?, sealed_values = ?, data_key_generation = ?, version = ?,
                            created_at = ?, updated_at = ?
                        WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?
                        """,
                    arguments: Self.arguments(of: row)
                )
            case .deleteWorkload(let scope, let kind, let id):
                try db.execute(
                    sql: "DELETE FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                    arguments: [scope.teamId, scope.projectId, kind, id]
                )
            case .insertDataKey(let row):
                try db.execute(
                    sql: "INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id) VALUES (?, ?, ?, ?, ?)",
                    arguments: [row.scope.teamId, row.scope.projectId, row.generation, row.wrapped, row.masterKeyID]
                )
            case .updateDataKey(let row):
                try db.execute(
                    sql: "UPDATE data_key SET wrapped = ?, master_key_id = ? WHERE team_id = ? AND project_id = ? AND generation = ?",
                    arguments: [row.wrapped, row.masterKeyID, row.scope.teamId, row.scope.projectId, row.generation]
                )
            case .deleteDataKey(let scope, let generation):
                try db.execute(
                    sql: "DELETE FROM data_key WHERE team_id = ? AND project_id = ? AND generation = ?",
                    arguments: [scope.teamId, scope.projectId, generation]
                )
            case .setDataKeyGeneration(let scope, let generation):
                try db.execute(
                    sql: "UPDATE project SET data_key_generation = ? WHERE team_id = ? AND id = ?",
                    arguments: [generation, scope.teamId, scope.projectId]
                )
            case .recordPrimaryMasterKey(let id, let checkValue):
                try db.execute(sql: "UPDATE master_key_check SET check_value = ?, master_key_id = ? WHERE id = 1", arguments: [checkValue, id])
            }
        }
    }

    static let insertAuditSQL = """
        INSERT INTO audit_entry (sequence, at, team_id, project_id, actor, action, resource_type, resource_id,
            changed_keys, changed_fields, version, revision, route, request_id, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertGroupSQL = """
        INSERT INTO secret_group (name, description, type, secret_type, priority, tags, stage_id, restrictions,
            addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version, created_at,
            updated_at, team_id, project_id, id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let updateGroupSQL = """
        UPDATE secret_group SET name = ?, description = ?, type = ?, secret_type = ?, priority = ?, tags = ?,
            stage_id = ?, restrictions = ?, addon_dependencies = ?, external_addon_dependencies = ?,
            sealed_values = ?, data_key_generation = ?, version = ?, created_at = ?, updated_at = ?
        WHERE team_id = ? AND project_id = ? AND id = ?
        """
    static let insertVersionSQL = """
        INSERT INTO group_version (action, at, actor, changed_keys, changed_fields, name, description, type, secret_type,
            priority, tags, stage_id, restrictions, addon_dependencies, external_addon_dependencies, sealed_values,
            data_key_generation, created_at, updated_at, team_id, project_id, group_id, version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Runs `statement` (`insertGroupSQL` or `updateGroupSQL`) with a group's columns in the order both list them,
    /// its key last.
    private static func write(_ row: GroupRow, with statement: consuming HotStatement) throws {
        bindColumns(of: row, to: &statement)
        statement.bind(row.version)
        statement.bind(row.createdAt)
        statement.bind(row.updatedAt)
        statement.bind(row.scope.teamId)
        statement.bind(row.scope.projectId)
        statement.bind(row.id)
        try statement.run()
    }

    /// Runs `insertVersionSQL` with a version's columns, its key last.
    private static func insert(_ version: GroupVersionRow, with statement: consuming HotStatement) throws {
        statement.bind(version.action)
        statement.bind(version.at)
        statement.bind(version.actor)
        statement.bind(version.changedKeys)
        statement.bind(version.changedFields)
        if let row = version.group {
            bindColumns(of: row, to: &statement)
            statement.bind(row.createdAt)
            statement.bind(row.updatedAt)
        } else {
            for _ in 0..<14 { statement.bindNull() }
        }
        statement.bind(version.scope.teamId)
        statement.bind(version.scope.projectId)
        statement.bind(version.groupId)
        statement.bind(version.version)
        try statement.run()
    }

    /// A group's columns from `name` to `data_key_generation`, which its row and its versions list alike.
    private static func bindColumns(of row: GroupRow, to statement: inout HotStatement) {
        statement.bind(row.name)
        statement.bind(row.description)
        statement.bind(row.type)
        statement.bind(row.secretType)
        statement.bind(row.priority)
        statement.bind(row.tags)
        statement.bind(row.stageId)
        statement.bind(row.restrictions)
        statement.bind(row.addonDependencies)
        statement.bind(row.externalAddonDependencies)
        statement.bind(row.sealedValues)
        statement.bind(row.dataKeyGeneration)
    }

    private static func arguments(of row: AddonRow) -> StatementArguments {
        [
            row.name, row.type, row.versionLabel, row.sealedCredentials, row.dataKeyGeneration, row.version, row.createdAt, row.updatedAt,
            row.scope.teamId, row.scope.projectId, row.kind, row.id,
        ]
    }

    private static func arguments(of row: WorkloadRow) -> StatementArguments {
        [
            row.name, row.tags, row.stageId, row.sealedValues, row.dataKeyGeneration, row.version, row.createdAt, row.updatedAt,
            row.scope.teamId, row.scope.projectId, row.kind, row.id,
        ]
    }

    /// Links `entries` after the last entry, numbers them per project and inserts them, inside the batch's transaction:
    /// they commit with their changes or not at all, and SQLite's single writer keeps the chain linear. Answers them as
    /// stored.
    @discardableResult
    package func appendAudit(_ entries: [AuditEntry], db: Database) throws -> [AuditEntry] {
        guard !entries.isEmpty else { return [] }
        var head = try HotStatement(db, sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1")
        let last = try head.next() ? (sequence: head.int64(0), hash: head.data(1)) : nil
        _ = consume head
        var current: [ProjectScope: Int64] = [:]
        for entry in entries {
            guard let projectId = entry.projectId else { continue }
            let scope = ProjectScope(team: entry.teamId, project: projectId)
            if current[scope] == nil { current[scope] = try Self.latestRevision(in: scope, db: db) }
        }
        let numbered = AuditChain.numbering(AuditChain.link(entries, after: last), after: current)
        for entry in numbered {
            var statement = try HotStatement(db, sql: Self.insertAuditSQL)
            statement.bind(entry.sequence)
            statement.bind(entry.at.millisecondsSinceEpoch)
            statement.bind(entry.teamId)
            statement.bind(entry.projectId)
            statement.bind(entry.actor)
            statement.bind(entry.action.rawValue)
            statement.bind(entry.resourceType.rawValue)
            statement.bind(entry.resourceId)
            statement.bind(try StoredPayload.encode(entry.changedKeys))
            statement.bind(try StoredPayload.encode(entry.changedFields))
            statement.bind(entry.version)
            statement.bind(entry.revision)
            statement.bind(entry.route)
            statement.bind(entry.requestId)
            statement.bind(entry.previousHash)
            statement.bind(entry.hash)
            try statement.run()
        }
        return numbered
    }
}
