import CofferCore
import CofferStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Reads the rows `keys` name on `db` (SQLite has one writer, so a write's reads need no locks).
    package func load(_ keys: [RowKey], db: Database) throws -> LoadedRows {
        var projects: [RowKey: LoadedRow] = [:]
        return try load(keys, db: db, projects: &projects)
    }

    /// `load`, taking projects (their rows and data keys) from `projects` where they are, and keeping those it reads.
    package func load(_ keys: [RowKey], db: Database, projects: inout [RowKey: LoadedRow]) throws -> LoadedRows {
        var rows = LoadedRows()
        for key in keys where rows[key] == nil {
            guard case .project = key else {
                rows[key] = try load(key, db: db)
                continue
            }
            let project = try projects[key] ?? load(key, db: db)
            projects[key] = project
            rows[key] = project
        }
        return rows
    }

    private func load(_ key: RowKey, db: Database) throws -> LoadedRow {
        switch key {
        case .anyTeam:
            return .flag(try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM team)") ?? false)
        case .team(let id):
            return .team(try Row.fetchOne(db, sql: "SELECT * FROM team WHERE id = ?", arguments: [id]).map(Self.team(from:)))
        case .project(let scope), .lockedProject(let scope):
            // Every batch of writes reads its projects this way, so through `HotStatement`s.
            var project = try HotStatement(db, sql: Self.projectQuery)
            project.bind(scope.teamId)
            project.bind(scope.projectId)
            guard try project.next() else { return .project(nil, dataKeys: []) }
            var keys = try HotStatement(db, sql: Self.dataKeysQuery)
            keys.bind(scope.teamId)
            keys.bind(scope.projectId)
            var dataKeys: [DataKeyRow] = []
            while try keys.next() { dataKeys.append(Self.dataKey(from: keys)) }
            return .project(Self.project(from: project), dataKeys: dataKeys)
        case .projects(let team):
            let sql = "SELECT \(Self.projectColumns) FROM project WHERE team_id = ? ORDER BY id"
            return .projects(try Row.fetchAll(db, sql: sql, arguments: [team]).map { Self.project(from: $0) })
        case .wrappingKeyID:
            return .wrappingKeyID(try String.fetchOne(db, sql: "SELECT master_key_id FROM master_key_check WHERE id = 1"))
        case .group(let scope, let id):
            var statement = try HotStatement(db, sql: Self.groupQuery)
            statement.bind(scope.teamId)
            statement.bind(scope.projectId)
            statement.bind(id)
            return .group(try statement.next() ? Self.group(from: statement, in: scope) : nil)
        case .groups(let scope):
            return .groups(
                try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.groupColumns) FROM secret_group WHERE team_id = ? AND project_id = ? ORDER BY id",
                    arguments: [scope.teamId, scope.projectId]
                ).map { Self.group(from: $0, in: scope) }
            )
        case .groupSummaries(let scope, let after, let offset, let limit):
            let columns = Self.summaryColumns
            let rows =
                if let after {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT \(columns) FROM secret_group WHERE team_id = ? AND project_id = ? AND id > ? ORDER BY id LIMIT ?",
                        arguments: [scope.teamId, scope.projectId, after, limit]
                    )
                } else {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT \(columns) FROM secret_group WHERE team_id = ? AND project_id = ? ORDER BY id LIMIT ? OFFSET ?",
                        arguments: [scope.teamId, scope.projectId, limit, offset]
                    )
                }
            return .groups(rows.map { Self.summary(from: $0, in: scope) })
        case .addon(let scope, let kind, let id):
            return .addon(
                try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                    arguments: [scope.teamId, scope.projectId, kind, id]
                ).map { Self.addon(from: $0, in: scope) }
            )
        case .addons(let scope, let kind):
            return .addons(
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM addon WHERE team_id = ? AND project_id = ? AND kind = ? ORDER BY id",
                    arguments: [scope.teamId, scope.projectId, kind]
                ).map { Self.addon(from: $0, in: scope) }
            )
        case .workload(let scope, let kind, let id):
            return .workload(
                try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? AND id = ?",
                    arguments: [scope.teamId, scope.projectId, kind, id]
                ).map { Self.workload(from: $0, in: scope) }
            )
        case .workloads(let scope, let kind):
            let rows =
                if let kind {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? AND kind = ? ORDER BY id",
                        arguments: [scope.teamId, scope.projectId, kind]
                    )
                } else {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM workload WHERE team_id = ? AND project_id = ? ORDER BY kind DESC, id",
                        arguments: [scope.teamId, scope.projectId]
                    )
                }
            return .workloads(rows.map { Self.workload(from: $0, in: scope) })
        case .token(let id, let team):
            return .token(try Row.fetchOne(db, sql: "SELECT * FROM token WHERE id = ? AND team_id = ?", arguments: [id, team]).map(Self.token(from:)))
        case .tokenWithHash(let hash):
            return .token(try Row.fetchOne(db, sql: "SELECT * FROM token WHERE secret_hash = ?", arguments: [hash]).map(Self.token(from:)))
        case .tokenTaken(let id, let hash):
            let sql = "SELECT EXISTS (SELECT 1 FROM token WHERE id = ? OR secret_hash = ?)"
            return .flag(try Bool.fetchOne(db, sql: sql, arguments: [id, hash]) ?? false)
        case .tokens(let team):
            return .tokens(
                try Row.fetchAll(db, sql: "SELECT * FROM token WHERE team_id = ? ORDER BY created_at, id", arguments: [team]).map(Self.token(from:))
            )
        case .allProjects:
            return .projects(try Row.fetchAll(db, sql: "SELECT \(Self.projectColumns) FROM project ORDER BY team_id, id").map { Self.project(from: $0) })
        case .projectsWithOlderDataKeys:
            return .projects(
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.projectColumns) FROM project p WHERE EXISTS (SELECT 1 FROM data_key d
                            WHERE d.team_id = p.team_id AND d.project_id = p.id AND d.generation <> p.data_key_generation)
                        ORDER BY p.team_id, p.id
                        """
                ).map { Self.project(from: $0) }
            )
        case .dataKeysNotWrapped(let masterKeyID, let limit):
            return .dataKeys(
                try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.dataKeyColumns) FROM data_key WHERE master_key_id <> ? ORDER BY team_id, project_id, generation LIMIT ?",
                    arguments: [masterKeyID, limit ?? -1]
                ).map { Self.dataKey(from: $0) }
            )
        case .masterKeyIDsInUse:
            return .strings(try String.fetchAll(db, sql: "SELECT master_key_id FROM data_key UNION SELECT master_key_id FROM master_key_check"))
        case .rowsSealedUnderOlderKeys(let scope, let limit):
            let older = """
                team_id = ? AND project_id = ? \
                AND data_key_generation <> (SELECT data_key_generation FROM project WHERE team_id = ? AND id = ?)
                """
            let arguments: StatementArguments = [scope.teamId, scope.projectId, scope.teamId, scope.projectId, limit]
            let groups = try Row.fetchAll(db, sql: "SELECT \(Self.groupColumns) FROM secret_group WHERE \(older) LIMIT ?", arguments: arguments)
            let addons = try Row.fetchAll(db, sql: "SELECT * FROM addon WHERE \(older) LIMIT ?", arguments: arguments)
            let workloads = try Row.fetchAll(db, sql: "SELECT * FROM workload WHERE \(older) LIMIT ?", arguments: arguments)
            let versions = try Row.fetchAll(
                db, sql: "SELECT \(Self.versionColumns) FROM group_version WHERE \(older) LIMIT ?", arguments: arguments
            )
            return .sealedRows(
                groups: groups.map { Self.group(from: $0, in: scope) },
                addons: addons.map { Self.addon(from: $0, in: scope) },
                workloads: workloads.map { Self.workload(from: $0, in: scope) },
                versions: versions.map { Self.version(from: $0, in: scope) }
            )
        case .generationsInUse(let scope):
            return .integers(
                try Int.fetchAll(
                    db,
                    sql: """
                        SELECT data_key_generation FROM secret_group WHERE team_id = ?1 AND project_id = ?2
                        UNION SELECT data_key_generation FROM addon WHERE team_id = ?1 AND project_id = ?2
                        UNION SELECT data_key_generation FROM workload WHERE team_id = ?1 AND project_id = ?2
                        UNION SELECT data_key_generation FROM group_version
                            WHERE team_id = ?1 AND project_id = ?2 AND data_key_generation IS NOT NULL
                        """,
                    arguments: [scope.teamId, scope.projectId]
                )
            )
        case .groupVersions(let scope, let id, let before, let limit):
            return .versions(
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.versionInfoColumns) FROM group_version
                        WHERE team_id = ? AND project_id = ? AND group_id = ? AND version < ? ORDER BY version DESC LIMIT ?
                        """,
                    arguments: [scope.teamId, scope.projectId, id, before ?? Int.max, limit]
                ).map { Self.versionInfo(from: $0, in: scope) }
            )
        case .groupVersion(let scope, let id, let version):
            return .version(
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.versionColumns) FROM group_version WHERE team_id = ? AND project_id = ? AND group_id = ? AND version = ?",
                    arguments: [scope.teamId, scope.projectId, id, version]
                ).map { Self.version(from: $0, in: scope) }
            )
        case .latestGroupVersion(let scope, let id):
            var statement = try HotStatement(db, sql: Self.latestVersionQuery)
            statement.bind(scope.teamId)
            statement.bind(scope.projectId)
            statement.bind(id)
            return .version(try statement.next() ? Self.versionInfo(from: statement, in: scope) : nil)
        case .latestGroupContent(let scope, let id):
            return .version(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(Self.versionColumns) FROM group_version
                        WHERE team_id = ? AND project_id = ? AND group_id = ? AND action <> 'delete' ORDER BY version DESC LIMIT 1
                        """,
                    arguments: [scope.teamId, scope.projectId, id]
                ).map { Self.version(from: $0, in: scope) }
            )
        case .historyAsOf(let scope, let at):
            let then = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.versionColumns) FROM group_version v WHERE team_id = ?1 AND project_id = ?2 AND version = (
                        SELECT max(version) FROM group_version w
                        WHERE w.team_id = ?1 AND w.project_id = ?2 AND w.group_id = v.group_id AND w.at <= ?3)
                    """,
                arguments: [scope.teamId, scope.projectId, at]
            ).map { Self.version(from: $0, in: scope) }
            let byGroup = Dictionary(then.map { ($0.groupId, $0) }, uniquingKeysWith: { first, _ in first })
            let kept = try Row.fetchAll(
                db,
                sql: """
                    SELECT group_id, min(version), max(version) FROM group_version WHERE team_id = ? AND project_id = ?
                    GROUP BY group_id ORDER BY group_id
                    """,
                arguments: [scope.teamId, scope.projectId]
            )
            return .historyAsOf(kept.map { GroupHistoryAsOf(groupId: $0[0], then: byGroup[$0[0] as String], oldestKept: $0[1], newest: $0[2]) })
        case .expiredVersions(let keepVersions, let deletedBefore, let limit, let among):
            var arguments: StatementArguments = [keepVersions, deletedBefore, limit]
            for group in among ?? [] { arguments += [group.scope.teamId, group.scope.projectId, group.id] }
            return .versions(
                try Row.fetchAll(db, sql: HistoryRetention.expiredVersionsSQL(among: among?.count) { "?\($0)" }, arguments: arguments)
                    .map { Self.versionInfo(from: $0, in: ProjectScope(team: $0[7], project: $0[8])) }
            )
        }
    }

    package static func team(from row: Row) -> Team {
        Team(id: row["id"], name: row["name"], createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]))
    }

    // Rows on the write path are read by position, in the order these lists name: looking a column up by name costs a
    // case-insensitive comparison per column, which showed in the PUT profile.
    static let projectColumns = "team_id, id, name, description, created_at, data_key_generation"
    static let dataKeyColumns = "team_id, project_id, generation, wrapped, master_key_id"
    static let groupColumns = """
        id, name, description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies, \
        external_addon_dependencies, sealed_values, data_key_generation, version, created_at, updated_at
        """
    static let versionInfoColumns = "group_id, version, action, at, actor, changed_keys, changed_fields"
    static let versionColumns = """
        group_id, version, action, at, actor, changed_keys, changed_fields, name, description, type, secret_type, priority, tags, \
        stage_id, restrictions, addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at
        """
    static let summaryColumns = "id, name, description, type, secret_type, priority, tags, stage_id, restrictions, version, created_at, updated_at"
    // The write path's reads, run as `HotStatement`s: their text built once.
    static let projectQuery = "SELECT \(projectColumns) FROM project WHERE team_id = ? AND id = ?"
    static let dataKeysQuery = "SELECT \(dataKeyColumns) FROM data_key WHERE team_id = ? AND project_id = ?"
    static let groupQuery = "SELECT \(groupColumns) FROM secret_group WHERE team_id = ? AND project_id = ? AND id = ?"
    static let latestVersionQuery = """
        SELECT \(versionInfoColumns) FROM group_version WHERE team_id = ? AND project_id = ? AND group_id = ?
        ORDER BY version DESC LIMIT 1
        """

    /// A row of `projectColumns`.
    static func project(from row: borrowing some PositionalRow & ~Copyable) -> ProjectRow {
        ProjectRow(
            project: Project(
                id: row.string(1), teamId: row.string(0), name: row.string(2), description: row.optionalString(3),
                createdAt: Timestamp(millisecondsSinceEpoch: row.int64(4))
            ),
            dataKeyGeneration: row.int(5)
        )
    }

    /// A row of `dataKeyColumns`.
    static func dataKey(from row: borrowing some PositionalRow & ~Copyable) -> DataKeyRow {
        DataKeyRow(
            scope: ProjectScope(team: row.string(0), project: row.string(1)), generation: row.int(2), wrapped: row.data(3),
            masterKeyID: row.string(4)
        )
    }

    /// A row of `groupColumns`.
    static func group(from row: borrowing some PositionalRow & ~Copyable, in scope: ProjectScope) -> GroupRow {
        GroupRow(
            scope: scope, id: row.string(0), name: row.string(1), description: row.optionalString(2), type: row.string(3),
            secretType: row.string(4), priority: row.int(5), tags: row.string(6), stageId: row.optionalString(7),
            restrictions: row.string(8), addonDependencies: row.string(9), externalAddonDependencies: row.string(10),
            sealedValues: row.data(11), dataKeyGeneration: row.int(12), version: row.int(13), createdAt: row.int64(14),
            updatedAt: row.int64(15)
        )
    }

    /// A row beginning with `versionInfoColumns`: no group row.
    static func versionInfo(from row: borrowing some PositionalRow & ~Copyable, in scope: ProjectScope) -> GroupVersionRow {
        GroupVersionRow(
            scope: scope, groupId: row.string(0), version: row.int(1), action: row.string(2), at: row.int64(3),
            actor: row.string(4), changedKeys: row.string(5), changedFields: row.string(6), group: nil
        )
    }

    /// A row of `versionColumns`: the group's row as the version left it, unless it records a delete.
    static func version(from row: borrowing some PositionalRow & ~Copyable, in scope: ProjectScope) -> GroupVersionRow {
        var version = versionInfo(from: row, in: scope)
        if !row.isNull(17) {
            version.group = GroupRow(
                scope: scope, id: version.groupId, name: row.string(7), description: row.optionalString(8), type: row.string(9),
                secretType: row.string(10), priority: row.int(11), tags: row.string(12), stageId: row.optionalString(13),
                restrictions: row.string(14), addonDependencies: row.string(15), externalAddonDependencies: row.string(16),
                sealedValues: row.data(17), dataKeyGeneration: row.int(18), version: version.version, createdAt: row.int64(19),
                updatedAt: row.int64(20)
            )
        }
        return version
    }

    /// A row of `summaryColumns`: no values, no dependency lists.
    package static func summary(from row: Row, in scope: ProjectScope) -> GroupRow {
        GroupRow(
            scope: scope, id: row[0], name: row[1], description: row[2], type: row[3], secretType: row[4], priority: row[5], tags: row[6],
            stageId: row[7], restrictions: row[8], addonDependencies: "", externalAddonDependencies: "", sealedValues: Data(),
            dataKeyGeneration: 0, version: row[9], createdAt: row[10], updatedAt: row[11]
        )
    }

    package static func addon(from row: Row, in scope: ProjectScope) -> AddonRow {
        AddonRow(
            scope: scope, kind: row["kind"], id: row["id"], name: row["name"], type: row["type"], versionLabel: row["version_label"],
            sealedCredentials: row["sealed_credentials"], dataKeyGeneration: row["data_key_generation"], version: row["version"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }

    package static func workload(from row: Row, in scope: ProjectScope) -> WorkloadRow {
        WorkloadRow(
            scope: scope, kind: row["kind"], id: row["id"], name: row["name"], tags: row["tags"], stageId: row["stage_id"],
            sealedValues: row["sealed_values"], dataKeyGeneration: row["data_key_generation"], version: row["version"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }

    package static func token(from row: Row) throws -> Token {
        Token(
            id: row["id"],
            teamId: row["team_id"],
            name: row["name"],
            secretHash: row["secret_hash"],
            roleName: row["role"],
            projectIds: try (row["project_ids"] as String?).map { try StoredJSON.decode([String].self, from: $0) },
            workload: try (row["workload"] as String?).map { try StoredJSON.decode(WorkloadReference.self, from: $0) },
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]),
            expiresAt: (row["expires_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        )
    }
}
