import CofferCore
import CofferStore
import PostgresNIO

/// The rows a batch of group writes reads, in one round trip and one prepared plan: its projects with their data keys,
/// its groups, and each group id's newest version. It locks nothing: the batch's transaction holds the audit chain's
/// head, which every write transaction takes first, so these rows cannot change before it commits. The three kinds
/// come back as rows of one shape, told apart by `kind`, each with the columns the driver's row readers
/// (`PostgresStore.project(from:)`, `group(from:in:summary:)`, `version(from:in:)`) read by name.
///
/// Groups and versions are looked up key by key (a `LATERAL` subquery with `LIMIT 1`, which the planner cannot turn
/// into a join of its own choosing), so their primary keys find them whatever the tables' size. The plan is made once
/// per connection (`plan_cache_mode`): as a join, it was a hash join over a whole scan of `secret_group` whenever the
/// table was small at planning time, and it stayed that plan, scanning every page of the grown table on each batch.
struct GroupWriteRowsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH projects AS (
            SELECT p.team_id, p.id, p.name, p.description, p.created_at, p.data_key_generation FROM project p
            WHERE (p.team_id, p.id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ), groups AS (
            SELECT g.* FROM unnest($3::text[], $4::text[], $5::text[]) AS k(team_id, project_id, id)
            CROSS JOIN LATERAL (
                SELECT g.team_id, g.project_id, g.id, g.name, g.description, g.type, g.secret_type, g.priority, g.tags, g.stage_id,
                    g.restrictions, g.addon_dependencies, g.external_addon_dependencies, g.sealed_values, g.data_key_generation,
                    g.version, g.created_at, g.updated_at
                FROM secret_group g WHERE g.team_id = k.team_id AND g.project_id = k.project_id AND g.id = k.id LIMIT 1
            ) g
        )
        SELECT 'project' AS kind, p.team_id, p.id AS project_id, p.id, NULL::text AS group_id, p.name, p.description,
            p.created_at, p.data_key_generation, d.generation, d.wrapped, d.master_key_id, NULL::text AS type,
            NULL::text AS secret_type, NULL::bigint AS priority, NULL::text AS tags, NULL::text AS stage_id,
            NULL::text AS restrictions, NULL::text AS addon_dependencies, NULL::text AS external_addon_dependencies,
            NULL::bytea AS sealed_values, NULL::bigint AS version, NULL::bigint AS updated_at, NULL::text AS action,
            NULL::bigint AS at, NULL::text AS actor, NULL::text AS changed_keys, NULL::text AS changed_fields
        FROM projects p LEFT JOIN data_key d ON d.team_id = p.team_id AND d.project_id = p.id
        UNION ALL
        SELECT 'group', g.team_id, g.project_id, g.id, NULL, g.name, g.description, g.created_at, g.data_key_generation, NULL,
            NULL, NULL, g.type, g.secret_type, g.priority, g.tags, g.stage_id, g.restrictions, g.addon_dependencies,
            g.external_addon_dependencies, g.sealed_values, g.version, g.updated_at, NULL, NULL, NULL, NULL, NULL
        FROM groups g
        UNION ALL
        SELECT 'version', k.team_id, k.project_id, NULL, v.group_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, v.version, NULL, v.action, v.at, v.actor, v.changed_keys, v.changed_fields
        FROM unnest($6::text[], $7::text[], $8::text[]) AS k(team_id, project_id, group_id)
        CROSS JOIN LATERAL (
            SELECT group_id, version, action, at, actor, changed_keys, changed_fields FROM group_version v
            WHERE v.team_id = k.team_id AND v.project_id = k.project_id AND v.group_id = k.group_id
            ORDER BY version DESC LIMIT 1
        ) v
        """

    static var bindingDataTypes: [PostgresDataType] { Array(repeating: .textArray, count: 8) }

    typealias Row = StoredRow

    var projects: [ProjectScope]
    var groups: [GroupAddress]
    var latestVersions: [GroupAddress]

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 8)
        binds.append(projects.map(\.teamId))
        binds.append(projects.map(\.projectId))
        binds.append(groups.map(\.scope.teamId))
        binds.append(groups.map(\.scope.projectId))
        binds.append(groups.map(\.id))
        binds.append(latestVersions.map(\.scope.teamId))
        binds.append(latestVersions.map(\.scope.projectId))
        binds.append(latestVersions.map(\.id))
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> StoredRow {
        StoredRow(row)
    }
}

/// Locks the audit chain's head until the transaction ends and reads it.
struct AuditHeadLockStatement: PostgresPreparedStatement {
    static let sql = "SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE"

    typealias Row = StoredRow

    func makeBindings() throws -> PostgresBindings { PostgresBindings() }

    func decodeRow(_ row: PostgresRow) throws -> StoredRow {
        StoredRow(row)
    }
}
