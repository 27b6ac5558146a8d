import CofferCore
import CofferStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Reads the rows `keys` name on `connection`; with `locking`, the single rows a write decides on stay locked
    /// (`FOR UPDATE`) until its transaction ends, so concurrent writes to one record, on any replica, take turns.
    package func load(_ keys: [RowKey], on connection: PostgresConnection, locking: Bool) async throws -> LoadedRows {
        var rows = LoadedRows()
        for key in keys where rows[key] == nil {
            rows[key] = try await load(key, on: connection, locking: locking)
        }
        return rows
    }

    package func load(_ key: RowKey, on connection: PostgresConnection, locking: Bool) async throws -> LoadedRow {
        let suffix = locking && key.locksRow ? " FOR UPDATE" : ""
        switch key {
        case .anyTeam:
            return .flag(try await connection.values(Bool.self, "SELECT EXISTS (SELECT 1 FROM team)", logger: logger).first ?? false)
        case .team(let id):
            return .team(try await connection.row("SELECT * FROM team WHERE id = \(id)", logger: logger).map(Self.team(from:)))
        case .project(let scope), .lockedProject(let scope):
            // Every write transaction, a rotation step's included, first locks the audit chain's head
            // (`PostgresStore.commit`), so no write changes a project between another's read of it and its commit. The
            // row locks taken here on top of that order are what keeps a rotation step's generations (`lockedProject`,
            // FOR UPDATE) from changing under it should a locking read ever run outside it.
            let lock = !locking ? "" : key == .project(scope) ? " FOR KEY SHARE OF p" : " FOR UPDATE OF p"
            var rows = try await connection.rows(Self.projectQuery(scope, lock: lock), logger: logger)
            if locking, let first = rows.first, try Self.lacksCurrentDataKey(rows, current: try first["data_key_generation"]) {
                // The lock waited for a rotation step that started a generation: a locking statement re-reads the
                // locked row alone, so it paired the project's new generation with the data keys of the snapshot it
                // took before the wait. Holding the lock now, a new statement reads both as they are.
                rows = try await connection.rows(Self.projectQuery(scope), logger: logger)
            }
            return try Self.project(from: rows, in: scope)
        case .projects(let team):
            let rows = try await connection.rows("SELECT * FROM project WHERE team_id = \(team) ORDER BY id", logger: logger)
            return .projects(try rows.map(Self.project(from:)))
        case .wrappingKeyID:
            let ids = try await connection.values(String.self, "SELECT master_key_id FROM master_key_check WHERE id = 1", logger: logger)
            return .wrappingKeyID(ids.first)
        case .group(let scope, let id):
            return .group(
                try await connection.row(
                    """
                    SELECT * FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id = \(id)\
                    \(unescaped: suffix)
                    """,
                    logger: logger
                ).map { try Self.group(from: $0, in: scope, summary: false) }
            )
        case .groups(let scope):
            return .groups(
                try await connection.rows(
                    "SELECT * FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY id",
                    logger: logger
                ).map { try Self.group(from: $0, in: scope, summary: false) }
            )
        case .groupSummaries(let scope, let after, let offset, let limit):
            let rows =
                if let after {
                    try await connection.rows(
                        """
                        SELECT id, name, description, type, secret_type, priority, tags, stage_id, restrictions, version, created_at,
                            updated_at FROM secret_group
                        WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND id > \(after) ORDER BY id LIMIT \(limit)
                        """,
                        logger: logger
                    )
                } else {
                    try await connection.rows(
                        """
                        SELECT id, name, description, type, secret_type, priority, tags, stage_id, restrictions, version, created_at,
                            updated_at FROM secret_group
                        WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY id LIMIT \(limit) OFFSET \(offset)
                        """,
                        logger: logger
                    )
                }
            return .groups(try rows.map { try Self.group(from: $0, in: scope, summary: true) })
        case .addon(let scope, let kind, let id):
            return .addon(
                try await connection.row(
                    """
                    SELECT * FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind) AND id = \(id)\
                    \(unescaped: suffix)
                    """,
                    logger: logger
                ).map { try Self.addon(from: $0, in: scope) }
            )
        case .addons(let scope, let kind):
            return .addons(
                try await connection.rows(
                    "SELECT * FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind) ORDER BY id",
                    logger: logger
                ).map { try Self.addon(from: $0, in: scope) }
            )
        case .workload(let scope, let kind, let id):
            return .workload(
                try await connection.row(
                    """
                    SELECT * FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind) AND id = \(id)\
                    \(unescaped: suffix)
                    """,
                    logger: logger
                ).map { try Self.workload(from: $0, in: scope) }
            )
        case .workloads(let scope, let kind):
            let rows =
                if let kind {
                    try await connection.rows(
                        """
                        SELECT * FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND kind = \(kind)
                        ORDER BY id
                        """,
                        logger: logger
                    )
                } else {
                    try await connection.rows(
                        "SELECT * FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) ORDER BY kind DESC, id",
                        logger: logger
                    )
                }
            return .workloads(try rows.map { try Self.workload(from: $0, in: scope) })
        case .token(let id, let team):
            return .token(
                try await connection.row("SELECT * FROM token WHERE id = \(id) AND team_id = \(team)\(unescaped: suffix)", logger: logger)
                    .map(Self.token(from:))
            )
        case .tokenWithHash(let hash):
            return .token(try await connection.row("SELECT * FROM token WHERE secret_hash = \(hash)", logger: logger).map(Self.token(from:)))
        case .tokenTaken(let id, let hash):
            return .flag(
                try await connection.values(
                    Bool.self,
                    "SELECT EXISTS (SELECT 1 FROM token WHERE id = \(id) OR secret_hash = \(hash))",
                    logger: logger
                ).first ?? false
            )
        case .tokens(let team):
            return .tokens(
                try await connection.rows("SELECT * FROM token WHERE team_id = \(team) ORDER BY created_at, id", logger: logger)
                    .map(Self.token(from:))
            )
        case .allProjects:
            return .projects(try await connection.rows("SELECT * FROM project ORDER BY team_id, id", logger: logger).map(Self.project(from:)))
        case .projectsWithOlderDataKeys:
            return .projects(
                try await connection.rows(
                    """
                    SELECT * FROM project p WHERE EXISTS (SELECT 1 FROM data_key d
                        WHERE d.team_id = p.team_id AND d.project_id = p.id AND d.generation <> p.data_key_generation)
                    ORDER BY p.team_id, p.id
                    """,
                    logger: logger
                ).map(Self.project(from:))
            )
        case .dataKeysNotWrapped(let masterKeyID, let limit):
            let rows = try await connection.rows(
                """
                SELECT * FROM data_key WHERE master_key_id <> \(masterKeyID) ORDER BY team_id, project_id, generation
                LIMIT \(limit.map(Int64.init) ?? Int64.max)\(unescaped: suffix)
                """,
                logger: logger
            )
            return .dataKeys(
                try rows.map { row in
                    DataKeyRow(
                        scope: ProjectScope(team: try row["team_id"], project: try row["project_id"]),
                        generation: try row["generation"],
                        wrapped: try row["wrapped"],
                        masterKeyID: try row["master_key_id"]
                    )
                }
            )
        case .masterKeyIDsInUse:
            return .strings(
                try await connection.values(
                    String.self,
                    "SELECT master_key_id FROM data_key UNION SELECT master_key_id FROM master_key_check",
                    logger: logger
                )
            )
        case .rowsSealedUnderOlderKeys(let scope, let limit):
            // Written out per table: table names never come from input.
            let groups = try await connection.rows(
                """
                SELECT t.* FROM secret_group t JOIN project p ON p.team_id = t.team_id AND p.id = t.project_id
                WHERE t.team_id = \(scope.teamId) AND t.project_id = \(scope.projectId) AND t.data_key_generation <> p.data_key_generation
                LIMIT \(limit)\(unescaped: locking ? " FOR UPDATE OF t" : "")
                """,
                logger: logger
            )
            let addons = try await connection.rows(
                """
                SELECT t.* FROM addon t JOIN project p ON p.team_id = t.team_id AND p.id = t.project_id
                WHERE t.team_id = \(scope.teamId) AND t.project_id = \(scope.projectId) AND t.data_key_generation <> p.data_key_generation
                LIMIT \(limit)\(unescaped: locking ? " FOR UPDATE OF t" : "")
                """,
                logger: logger
            )
            let workloads = try await connection.rows(
                """
                SELECT t.* FROM workload t JOIN project p ON p.team_id = t.team_id AND p.id = t.project_id
                WHERE t.team_id = \(scope.teamId) AND t.project_id = \(scope.projectId) AND t.data_key_generation <> p.data_key_generation
                LIMIT \(limit)\(unescaped: locking ? " FOR UPDATE OF t" : "")
                """,
                logger: logger
            )
            let versions = try await connection.rows(
                """
                SELECT t.* FROM group_version t JOIN project p ON p.team_id = t.team_id AND p.id = t.project_id
                WHERE t.team_id = \(scope.teamId) AND t.project_id = \(scope.projectId) AND t.data_key_generation <> p.data_key_generation
                LIMIT \(limit)\(unescaped: locking ? " FOR UPDATE OF t" : "")
                """,
                logger: logger
            )
            return .sealedRows(
                groups: try groups.map { try Self.group(from: $0, in: scope, summary: false) },
                addons: try addons.map { try Self.addon(from: $0, in: scope) },
                workloads: try workloads.map { try Self.workload(from: $0, in: scope) },
                versions: try versions.map { try Self.version(from: $0, in: scope) }
            )
        case .generationsInUse(let scope):
            return .integers(
                try await connection.values(
                    Int.self,
                    """
                    SELECT data_key_generation FROM secret_group WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId)
                    UNION SELECT data_key_generation FROM addon WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId)
                    UNION SELECT data_key_generation FROM workload WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId)
                    UNION SELECT data_key_generation FROM group_version
                        WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND data_key_generation IS NOT NULL
                    """,
                    logger: logger
                )
            )
        case .groupVersions(let scope, let id, let before, let limit):
            return .versions(
                try await connection.rows(
                    """
                    SELECT group_id, version, action, at, actor, changed_keys, changed_fields FROM group_version
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND group_id = \(id)
                        AND version < \(before.map(Int64.init) ?? Int64.max)
                    ORDER BY version DESC LIMIT \(limit)
                    """,
                    logger: logger
                ).map { try Self.version(from: $0, in: scope) }
            )
        case .groupVersion(let scope, let id, let version):
            return .version(
                try await connection.row(
                    """
                    SELECT * FROM group_version
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND group_id = \(id) AND version = \(version)
                    """,
                    logger: logger
                ).map { try Self.version(from: $0, in: scope) }
            )
        case .latestGroupVersion(let scope, let id):
            return .version(
                try await connection.row(
                    """
                    SELECT group_id, version, action, at, actor, changed_keys, changed_fields FROM group_version
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND group_id = \(id) ORDER BY version DESC LIMIT 1
                    """,
                    logger: logger
                ).map { try Self.version(from: $0, in: scope) }
            )
        case .latestGroupContent(let scope, let id):
            return .version(
                try await connection.row(
                    """
                    SELECT * FROM group_version
                    WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND group_id = \(id) AND action <> 'delete'
                    ORDER BY version DESC LIMIT 1
                    """,
                    logger: logger
                ).map { try Self.version(from: $0, in: scope) }
            )
        case .historyAsOf(let scope, let at):
            let then = try await connection.rows(
                """
                SELECT DISTINCT ON (group_id) * FROM group_version
                WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) AND at <= \(at)
                ORDER BY group_id, version DESC
                """,
                logger: logger
            ).map { try Self.version(from: $0, in: scope) }
            let byGroup = Dictionary(then.map { ($0.groupId, $0) }, uniquingKeysWith: { first, _ in first })
            let kept = try await connection.rows(
                """
                SELECT group_id, min(version) AS oldest, max(version) AS newest FROM group_version
                WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId) GROUP BY group_id ORDER BY group_id
                """,
                logger: logger
            )
            return .historyAsOf(
                try kept.map { row in
                    let id: String = try row["group_id"]
                    return GroupHistoryAsOf(groupId: id, then: byGroup[id], oldestKept: try row["oldest"], newest: try row["newest"])
                }
            )
        case .expiredVersions(let keepVersions, let deletedBefore, let limit, let among):
            var binds = PostgresBindings()
            binds.append(Int64(keepVersions))
            binds.append(deletedBefore)
            binds.append(Int64(limit))
            for group in among ?? [] {
                binds.append(group.scope.teamId)
                binds.append(group.scope.projectId)
                binds.append(group.id)
            }
            let sql = HistoryRetention.expiredVersionsSQL(among: among?.count) { "$\($0)" }
            return .versions(
                try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                    .map { try Self.version(from: $0, in: ProjectScope(team: try $0["team_id"], project: try $0["project_id"])) }
            )
        }
    }

    /// A project's row joined with each of its data keys, `lock` (a locking clause) appended.
    static func projectQuery(_ scope: ProjectScope, lock: String = "") -> PostgresQuery {
        """
        SELECT p.*, d.generation, d.wrapped, d.master_key_id
        FROM project p LEFT JOIN data_key d ON d.team_id = p.team_id AND d.project_id = p.id
        WHERE p.team_id = \(scope.teamId) AND p.id = \(scope.projectId)\(unescaped: lock)
        """
    }

    /// The project and its data keys from the rows of `projectQuery` (none: the project does not exist).
    static func project(from rows: [StoredRow], in scope: ProjectScope) throws -> LoadedRow {
        guard let first = rows.first else { return .project(nil, dataKeys: []) }
        let dataKeys = try rows.compactMap { row -> DataKeyRow? in
            guard let generation = try row["generation"] as Int? else { return nil }
            return DataKeyRow(scope: scope, generation: generation, wrapped: try row["wrapped"], masterKeyID: try row["master_key_id"])
        }
        return .project(try Self.project(from: first), dataKeys: dataKeys)
    }

    /// Whether the project's rows name no data key of its current generation.
    static func lacksCurrentDataKey(_ rows: [StoredRow], current: Int) throws -> Bool {
        try !rows.contains { try ($0["generation"] as Int?) == current }
    }

    package static func team(from row: StoredRow) throws -> Team {
        Team(id: try row["id"], name: try row["name"], createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]))
    }

    package static func project(from row: StoredRow) throws -> ProjectRow {
        ProjectRow(
            project: Project(
                id: try row["id"],
                teamId: try row["team_id"],
                name: try row["name"],
                description: try row["description"],
                createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"])
            ),
            dataKeyGeneration: try row["data_key_generation"]
        )
    }

    /// A group row; a summary's row lacks the sealed values and dependency lists, which stay empty.
    package static func group(from row: StoredRow, in scope: ProjectScope, summary: Bool) throws -> GroupRow {
        GroupRow(
            scope: scope, id: try row["id"], name: try row["name"], description: try row["description"], type: try row["type"],
            secretType: try row["secret_type"], priority: try row["priority"], tags: try row["tags"], stageId: try row["stage_id"],
            restrictions: try row["restrictions"], addonDependencies: summary ? "" : try row["addon_dependencies"],
            externalAddonDependencies: summary ? "" : try row["external_addon_dependencies"],
            sealedValues: summary ? Data() : try row["sealed_values"], dataKeyGeneration: summary ? 0 : try row["data_key_generation"],
            version: try row["version"], createdAt: try row["created_at"], updatedAt: try row["updated_at"]
        )
    }

    /// A version; its group's row when the query read the group's columns and the version is not a delete.
    package static func version(from row: StoredRow, in scope: ProjectScope) throws -> GroupVersionRow {
        var version = GroupVersionRow(
            scope: scope, groupId: try row["group_id"], version: try row["version"], action: try row["action"], at: try row["at"],
            actor: try row["actor"], changedKeys: try row["changed_keys"], changedFields: try row["changed_fields"], group: nil
        )
        if row.has("sealed_values"), let sealed = try row["sealed_values"] as Data? {
            version.group = GroupRow(
                scope: scope, id: version.groupId, name: try row["name"], description: try row["description"], type: try row["type"],
                secretType: try row["secret_type"], priority: try row["priority"], tags: try row["tags"], stageId: try row["stage_id"],
                restrictions: try row["restrictions"], addonDependencies: try row["addon_dependencies"],
                externalAddonDependencies: try row["external_addon_dependencies"], sealedValues: sealed,
                dataKeyGeneration: try row["data_key_generation"], version: version.version, createdAt: try row["created_at"],
                updatedAt: try row["updated_at"]
            )
        }
        return version
    }

    package static func addon(from row: StoredRow, in scope: ProjectScope) throws -> AddonRow {
        AddonRow(
            scope: scope, kind: try row["kind"], id: try row["id"], name: try row["name"], type: try row["type"],
            versionLabel: try row["version_label"], sealedCredentials: try row["sealed_credentials"],
            dataKeyGeneration: try row["data_key_generation"], version: try row["version"], createdAt: try row["created_at"],
            updatedAt: try row["updated_at"]
        )
    }

    package static func workload(from row: StoredRow, in scope: ProjectScope) throws -> WorkloadRow {
        WorkloadRow(
            scope: scope, kind: try row["kind"], id: try row["id"], name: try row["name"], tags: try row["tags"],
            stageId: try row["stage_id"], sealedValues: try row["sealed_values"], dataKeyGeneration: try row["data_key_generation"],
            version: try row["version"], createdAt: try row["created_at"], updatedAt: try row["updated_at"]
        )
    }

    package static func token(from row: StoredRow) throws -> Token {
        Token(
            id: try row["id"],
            teamId: try row["team_id"],
            name: try row["name"],
            secretHash: try row["secret_hash"],
            roleName: try row["role"],
            projectIds: try (try row["project_ids"] as String?).map { try StoredJSON.decode([String].self, from: $0) },
            workload: try (try row["workload"] as String?).map { try StoredJSON.decode(WorkloadReference.self, from: $0) },
            createdAt: Timestamp(millisecondsSinceEpoch: try row["created_at"]),
            expiresAt: (try row["expires_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            revokedAt: (try row["revoked_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        )
    }
}
