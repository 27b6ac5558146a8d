import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func load(_ keys: [RowKey]) async throws -> LoadedRows {
        try await read { connection in
            guard keys.count > 1 else { return try await self.load(keys, on: connection, locking: false) }
            // One snapshot: rows and the data keys that open them are read as of one moment, also while a key rotation
            // (on any replica) re-seals them under a new generation.
            try await connection.execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: self.logger)
            do {
                let rows = try await self.load(keys, on: connection, locking: false)
                try await connection.execute("COMMIT", logger: self.logger)
                return rows
            } catch {
                try? await connection.execute("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }

    /// Writes go to the batcher's drain, which runs on the connections' event loop (`EventLoopTaskExecutor`): batch
    /// after batch commits there without a hop through the shared concurrency pool in between.
    public func commitQueued(_ write: StoreWrite) async throws -> WriteDecision {
        try await batcher.write(write, drainingOn: executor) { writes in await self.commit(writes) }
    }

    public func commit(_ writes: [StoreWrite]) async -> [Result<WriteDecision, any Error>] {
        do {
            return try await commitTogether(writes)
        } catch {
            // A statement the server refused took the whole transaction with it (a rule's refusal never does): run each
            // write in a transaction of its own, so that only the one at fault fails. Any other failure (the database
            // unreachable, a connection lost) is every write's: trying them one by one would only make each wait again.
            guard writes.count > 1, (error as? PSQLError)?.serverInfo != nil else {
                return Array(repeating: .failure(error), count: writes.count)
            }
            var results: [Result<WriteDecision, any Error>] = []
            for write in writes {
                do {
                    results.append(contentsOf: try await commitTogether([write]))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// `writes` in one transaction that first locks the audit chain's head, so write transactions (on every replica)
    /// run one after another: each reads what the ones before it committed, nothing changes a row between its read and
    /// its write, and no two of them can wait on each other. The rows the whole batch reads are read at once, and its
    /// changes go to the database with its audit entries in one statement (`WriteBatch`, `BatchWriteStatement`), so a
    /// batch is five round trips however many writes it carries: begin, the head, the rows, the changes, commit.
    private func commitTogether(_ writes: [StoreWrite]) async throws -> [Result<WriteDecision, any Error>] {
        try await write { connection in
            let head = try await self.lockAuditHead(on: connection)
            let batch = try await WriteBatch.run(
                writes,
                in: Array(writes.indices),
                load: { keys in try await self.loadTogether(keys, on: connection) },
                apply: { changes in try await self.applyTogether(changes, on: connection) }
            )
            var results = batch.results
            results.record(try await self.appendAudit(batch.audit, after: batch.unapplied, head: head, on: connection))
            return results
        }
    }

    /// Applies `changes` in order: the kinds `BatchWriteStatement` takes in as few of its statements as there are
    /// changes to one row, any other kind one statement per change.
    package func applyTogether(_ changes: [RowChange], on connection: PostgresConnection) async throws {
        let rows = try await applyingAllButLast(changes, on: connection)
        if !rows.isEmpty { _ = try await write(rows, entries: [], on: connection) }
    }

    /// Applies `changes` in order, but for the rows of the last `BatchWriteStatement` they need, which it answers for
    /// the caller to send with what goes with them (empty when the changes are of kinds applied one statement each).
    func applyingAllButLast(_ changes: [RowChange], on connection: PostgresConnection) async throws -> BatchWriteStatement.Rows {
        guard changes.allSatisfy(BatchWriteStatement.Rows.takes) else {
            try await apply(changes, on: connection)
            return BatchWriteStatement.Rows()
        }
        var rows = BatchWriteStatement.Rows()
        for change in changes where !rows.add(change) {
            // A second change to a row the statement already changes: what it has goes first.
            _ = try await write(rows, entries: [], on: connection)
            rows = BatchWriteStatement.Rows()
            _ = rows.add(change)
        }
        return rows
    }

    package func apply(_ changes: [RowChange], on connection: PostgresConnection) async throws {
        for change in changes {
            switch change {
            case .insertTeam(let team):
                try await connection.execute(
                    "INSERT INTO team (id, name, created_at) VALUES (\(team.id), \(team.name), \(team.createdAt.millisecondsSinceEpoch))",
                    logger: logger
                )
            case .insertToken(let token):
                let projectIds = try token.projectIds.map(StoredJSON.encodeString)
                let workload = try token.workload.map(StoredJSON.encodeString)
                try await connection.execute(
                    """
                    INSERT INTO token (id, team_id, name, secret_hash, role, project_ids, workload, created_at, expires_at, revoked_at)
                    VALUES (\(token.id), \(token.teamId), \(token.name), \(token.secretHash), \(token.roleName), \(projectIds), \(workload),
                        \(token.createdAt.millisecondsSinceEpoch), \(token.expiresAt?.millisecondsSinceEpoch),
                        \(token.revokedAt?.millisecondsSinceEpoch))
                    """,
                    logger: logger
                )
            case .updateToken(let token):
                try await connection.execute(
                    "UPDATE token SET revoked_at = \(token.revokedAt?.millisecondsSinceEpoch) WHERE id = \(token.id) AND team_id = \(token.teamId)",
                    logger: logger
                )
            case .insertProject(let row, let dataKey):
                let project = row.project
                try await connection.execute(
                    """
                    WITH project_row AS (
                        INSERT INTO project (team_id, id, name, description, created_at, data_key_generation)
                        VALUES (\(project.teamId), \(project.id), \(project.name), \(project.description),
                            \(project.createdAt.millisecondsSinceEpoch), \(row.dataKeyGeneration))
                        RETURNING team_id, id
                    )
                    INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id)
                    SELECT team_id, id, \(dataKey.generation), \(dataKey.wrapped), \(dataKey.masterKeyID) FROM project_row
                    """,
                    logger: logger
                )
            case .deleteProject(let scope):
                // Foreign keys cascade to everything in the project.
                try await connection.execute("DELETE FROM project WHERE team_id = \(scope.teamId) AND id = \(scope.projectId)", logger: logger)
            case .insertGroup(let row):
                try await connection.execute(
                    """
                    INSERT INTO secret_group (team_id, project_id, id, name, description, type, secret_type, priority, tags, stage_id,
                        restrictions, addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version,
                        created_at, updated_at)
                    VALUES (\(row.scope.teamId), \(row.scope.projectId), \(row.id), \(row.name), \(row.description), \(row.type),
                        \(row.secretType), \(row.priority), \(row.tags), \(row.stageId), \(row.restrictions), \(row.addonDependencies),
                        \(row.externalAddonDependencies), \(row.sealedValues), \(row.dataKeyGeneration), \(row.version), \(row.createdAt),
                        \(row.updatedAt))
                    """,
                    logger: logger
                )
            case .updateGroup(let row):
                try await connection.execute(
                    """
                    UPDATE secret_group SET name = \(row.name), description = \(row.description), type = \(row.type),
                        secret_type = \(row.secretType), priority = \(row.priority), tags = \(row.tags), stage_id = \(row.stageId),
                        restrictions = \(row.restrictions), addon_dependencies = \(row.addonDependencies),
                        external_addon_dependencies = \(row.externalAddonDependencies), sealed_values = \(row.sealedValues),
                        data_key_generation = \(row.dataKeyGeneration), version = \(row.version), created_at = \(row.createdAt),
                        updated_at = \(row.updatedAt)
                    WHERE team_id = \(row.scope.teamId) AND project_id = \(row.scope.projectId) AND id = \(row.id)
                    """,
                    logger: logger
                )
            case .deleteGroup(let scope, let id):
                try await connection.execute(
                    "DELETE FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(id)",
                    logger: logger
                )
            case .insertGroupVersion(let version):
                let row = version.group
                try await connection.execute(
                    """
                    INSERT INTO group_version (team_id, project_id, group_id, version, action, at, actor, changed_keys, changed_fields, name,
                        description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies,
                        external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at)
                    VALUES (\(version.scope.teamId), \(version.scope.projectId), \(version.groupId), \(version.version), \(version.action),
                        \(version.at), \(version.actor), \(version.changedKeys), \(version.changedFields), \(row?.name), \(row?.description),
                        \(row?.type), \(row?.secretType), \(row?.priority), \(row?.tags), \(row?.stageId), \(row?.restrictions),
                        \(row?.addonDependencies), \(row?.externalAddonDependencies), \(row?.sealedValues), \(row?.dataKeyGeneration),
                        \(row?.createdAt), \(row?.updatedAt))
                    """,
                    logger: logger
                )
            case .resealGroupVersion(let version):
                try await connection.execute(
                    """
                    UPDATE group_version SET sealed_values = \(version.group?.sealedValues), data_key_generation = \(version.group?.dataKeyGeneration)
                    WHERE team_id = \(version.scope.teamId) AND project_id = \(version.scope.projectId) AND group_id = \(version.groupId)
                        AND version = \(version.version)
                    """,
                    logger: logger
                )
            case .deleteGroupVersions(let versions):
                try await connection.execute(
                    """
                    DELETE FROM group_version g USING unnest(\(versions.map(\.scope.teamId)), \(versions.map(\.scope.projectId)),
                        \(versions.map(\.groupId)), \(versions.map { Int64($0.version) })) AS d(team_id, project_id, group_id, version)
                    WHERE g.team_id = d.team_id AND g.project_id = d.project_id AND g.group_id = d.group_id AND g.version = d.version
                    """,
                    logger: logger
                )
            case .insertAddon(let row):
                try await connection.execute(
                    """
                    INSERT INTO addon (team_id, project_id, kind, id, name, type, version_label, sealed_credentials, data_key_generation,
                        version, created_at, updated_at)
                    VALUES (\(row.scope.teamId), \(row.scope.projectId), \(row.kind), \(row.id), \(row.name), \(row.type), \(row.versionLabel),
                        \(row.sealedCredentials), \(row.dataKeyGeneration), \(row.version), \(row.createdAt), \(row.updatedAt))
                    """,
                    logger: logger
                )
            case .updateAddon(let row):
                try await connection.execute(
                    """
                    UPDATE addon SET name = \(row.name), type = \(row.type), version_label = \(row.versionLabel),
                        sealed_credentials = \(row.sealedCredentials), data_key_generation = \(row.dataKeyGeneration), version = \(row.version),
                        created_at = \(row.createdAt), updated_at = \(row.updatedAt)
                    WHERE team_id = \(row.scope.teamId) AND project_id = \(row.scope.projectId) AND kind = \(row.kind) AND id = \(row.id)
                    """,
                    logger: logger
                )
            case .deleteAddon(let scope, let kind, let id):
                try await connection.execute(
                    "DELETE FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind) AND id = \(id)",
                    logger: logger
                )
            case .insertWorkload(let row):
                try await connection.execute(
                    """
                    INSERT INTO workload (team_id, project_id, kind, id, name, tags, stage_id, sealed_values, data_key_generation, version,
                        created_at, updated_at)
                    VALUES (\(row.scope.teamId), \(row.scope.projectId), \(row.kind), \(row.id), \(row.name), \(row.tags), \(row.stageId),
                        \(row.sealedValues), \(row.dataKeyGeneration), \(row.version), \(row.createdAt), \(row.updatedAt))
                    """,
                    logger: logger
                )
            case .updateWorkload(let row):
                try await connection.execute(
                    """
                    UPDATE workload SET name = \(row.name), tags = \(row.tags), stage_id = \(row.stageId), sealed_values = \(row.sealedValues),
                        data_key_generation = \(row.dataKeyGeneration), version = \(row.version), created_at = \(row.createdAt),
                        updated_at = \(row.updatedAt)
                    WHERE team_id = \(row.scope.teamId) AND project_id = \(row.scope.projectId) AND kind = \(row.kind) AND id = \(row.id)
                    """,
                    logger: logger
                )
            case .deleteWorkload(let scope, let kind, let id):
                try await connection.execute(
                    "DELETE FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind) AND id = \(id)",
                    logger: logger
                )
            case .insertDataKey(let row):
                try await connection.execute(
                    """
                    INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id)
                    VALUES (\(row.scope.teamId), \(row.scope.projectId), \(row.generation), \(row.wrapped), \(row.masterKeyID))
                    """,
                    logger: logger
                )
            case .updateDataKey(let row):
                try await connection.execute(
                    """
                    UPDATE data_key SET wrapped = \(row.wrapped), master_key_id = \(row.masterKeyID)
                    WHERE team_id = \(row.scope.teamId) AND project_id = \(row.scope.projectId) AND generation = \(row.generation)
                    """,
                    logger: logger
                )
            case .deleteDataKey(let scope, let generation):
                try await connection.execute(
                    "DELETE FROM data_key WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND generation = \(generation)",
                    logger: logger
                )
            case .setDataKeyGeneration(let scope, let generation):
                try await connection.execute(
                    "UPDATE project SET data_key_generation = \(generation) WHERE team_id = \(scope.teamId) AND id = \(scope.projectId)",
                    logger: logger
                )
            case .recordPrimaryMasterKey(let id, let checkValue):
                try await connection.execute(
                    "UPDATE master_key_check SET check_value = \(checkValue), master_key_id = \(id) WHERE id = 1",
                    logger: logger
                )
            }
        }
    }
}
