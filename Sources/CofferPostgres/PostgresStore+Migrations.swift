import CofferStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// One named schema change, applied once in its own transaction and recorded in `coffer_migrations`.
    package struct Migration: Sendable {
        let name: String
        let statements: [PostgresQuery]
    }

    /// The class of the advisory locks that serialise `open()` across replicas: ASCII "cofm". Each schema has a lock
    /// of its own in that class, keyed by a hash of the schema's name, so that replicas of one store take turns while
    /// stores in other schemas of the same database (the tests make one per test) never wait for each other; advisory
    /// locks are per database already. Before, one key for every schema made dozens of test stores opening at once
    /// queue behind each other for longer than their call timeout.
    package static let migrationLockClass: Int32 = 0x636f_666d

    /// The second key of the current schema's migration lock; `coalesce` because a NULL key would make taking the lock
    /// a silent no-op.
    package static let migrationLockSchemaKey = "hashtext(coalesce(current_schema(), ''))"

    /// The schema, oldest first. Append; never edit a migration that has shipped.
    package static let migrations: [Migration] = [
        Migration(
            name: "v1-teams-tokens-projects-data-keys",
            statements: [
                """
                CREATE TABLE master_key_check (
                    id integer PRIMARY KEY CHECK (id = 1),
                    check_value bytea NOT NULL,
                    master_key_id text NOT NULL
                )
                """,
                """
                CREATE TABLE team (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    created_at bigint NOT NULL
                )
                """,
                // project_ids: JSON array of project ids; workload: JSON {projectId, kind, id}; NULL means unlimited / none.
                """
                CREATE TABLE token (
                    id text PRIMARY KEY,
                    team_id text NOT NULL REFERENCES team (id) ON DELETE CASCADE,
                    name text NOT NULL,
                    secret_hash bytea NOT NULL UNIQUE,
                    role text NOT NULL,
                    project_ids text,
                    workload text,
                    created_at bigint NOT NULL,
                    expires_at bigint,
                    revoked_at bigint
                )
                """,
                "CREATE INDEX token_by_team ON token (team_id, created_at, id)",
                """
                CREATE TABLE project (
                    team_id text NOT NULL REFERENCES team (id) ON DELETE CASCADE,
                    id text NOT NULL,
                    name text NOT NULL,
                    description text,
                    created_at bigint NOT NULL,
                    data_key_generation bigint NOT NULL CHECK (data_key_generation >= 1),
                    PRIMARY KEY (team_id, id)
                )
                """,
                """
                CREATE TABLE data_key (
                    team_id text NOT NULL,
                    project_id text NOT NULL,
                    generation bigint NOT NULL CHECK (generation >= 1),
                    wrapped bytea NOT NULL,
                    master_key_id text NOT NULL,
                    PRIMARY KEY (team_id, project_id, generation),
                    FOREIGN KEY (team_id, project_id) REFERENCES project (team_id, id) ON DELETE CASCADE
                )
                """,
            ]
        ),
        Migration(
            name: "v2-secret-groups-addons-workloads",
            statements: [
                // A sealed row names the data key generation that sealed it, which must exist while the row does.
                """
                CREATE TABLE secret_group (
                    team_id text NOT NULL,
                    project_id text NOT NULL,
                    id text NOT NULL,
                    name text NOT NULL,
                    description text,
                    type text NOT NULL CHECK (type IN ('secret', 'config')),
                    secret_type text NOT NULL CHECK (secret_type IN ('environment', 'arguments', 'environment-arguments')),
                    priority bigint NOT NULL CHECK (priority BETWEEN 0 AND 100),
                    tags text NOT NULL,
                    stage_id text,
                    restrictions text NOT NULL,
                    addon_dependencies text NOT NULL,
                    external_addon_dependencies text NOT NULL,
                    sealed_values bytea NOT NULL,
                    data_key_generation bigint NOT NULL,
                    version bigint NOT NULL CHECK (version >= 1),
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    PRIMARY KEY (team_id, project_id, id),
                    FOREIGN KEY (team_id, project_id) REFERENCES project (team_id, id) ON DELETE CASCADE,
                    FOREIGN KEY (team_id, project_id, data_key_generation) REFERENCES data_key (team_id, project_id, generation)
                )
                """,
                """
                CREATE TABLE addon (
                    team_id text NOT NULL,
                    project_id text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('addon', 'external')),
                    id text NOT NULL,
                    name text NOT NULL,
                    type text NOT NULL,
                    version_label text,
                    sealed_credentials bytea NOT NULL,
                    data_key_generation bigint NOT NULL,
                    version bigint NOT NULL CHECK (version >= 1),
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    PRIMARY KEY (team_id, project_id, kind, id),
                    FOREIGN KEY (team_id, project_id) REFERENCES project (team_id, id) ON DELETE CASCADE,
                    FOREIGN KEY (team_id, project_id, data_key_generation) REFERENCES data_key (team_id, project_id, generation)
                )
                """,
                """
                CREATE TABLE workload (
                    team_id text NOT NULL,
                    project_id text NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('service', 'job')),
                    id text NOT NULL,
                    name text NOT NULL,
                    tags text NOT NULL,
                    stage_id text,
                    sealed_values bytea NOT NULL,
                    data_key_generation bigint NOT NULL,
                    version bigint NOT NULL CHECK (version >= 1),
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    PRIMARY KEY (team_id, project_id, kind, id),
                    FOREIGN KEY (team_id, project_id) REFERENCES project (team_id, id) ON DELETE CASCADE,
                    FOREIGN KEY (team_id, project_id, data_key_generation) REFERENCES data_key (team_id, project_id, generation)
                )
                """,
            ]
        ),
        Migration(
            name: "v3-audit",
            statements: [
                // No foreign keys: the log outlives the projects and tokens it names. `audit_head` is the chain's last
                // link; locking its one row is what keeps the chain linear across concurrent transactions and replicas.
                """
                CREATE TABLE audit_entry (
                    sequence bigint PRIMARY KEY CHECK (sequence >= 1),
                    at bigint NOT NULL,
                    team_id text NOT NULL,
                    project_id text,
                    actor text NOT NULL,
                    action text NOT NULL,
                    resource_type text NOT NULL,
                    resource_id text NOT NULL,
                    changed_keys text NOT NULL,
                    changed_fields text NOT NULL,
                    route text,
                    request_id text,
                    previous_hash bytea NOT NULL,
                    hash bytea NOT NULL
                )
                """,
                "CREATE INDEX audit_entry_by_project ON audit_entry (team_id, project_id, sequence)",
                """
                CREATE TABLE audit_head (
                    id integer PRIMARY KEY CHECK (id = 1),
                    sequence bigint NOT NULL CHECK (sequence >= 0),
                    hash bytea NOT NULL
                )
                """,
                "INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, ''::bytea)",
            ]
        ),
        Migration(
            name: "v4-history",
            statements: [
                // A group's versions, its row's columns as each version left it (NULL for a delete). No foreign key to the
                // group: history outlives it; it goes with its project, and holds on to the data keys that sealed it.
                // Groups written before history existed get their current state as their first kept version.
                """
                CREATE TABLE group_version (
                    team_id text NOT NULL,
                    project_id text NOT NULL,
                    group_id text NOT NULL,
                    version bigint NOT NULL CHECK (version >= 1),
                    action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'rollback', 'restore')),
                    at bigint NOT NULL,
                    actor text NOT NULL,
                    changed_keys text NOT NULL,
                    changed_fields text NOT NULL,
                    name text,
                    description text,
                    type text,
                    secret_type text,
                    priority bigint,
                    tags text,
                    stage_id text,
                    restrictions text,
                    addon_dependencies text,
                    external_addon_dependencies text,
                    sealed_values bytea,
                    data_key_generation bigint,
                    created_at bigint,
                    updated_at bigint,
                    PRIMARY KEY (team_id, project_id, group_id, version),
                    FOREIGN KEY (team_id, project_id) REFERENCES project (team_id, id) ON DELETE CASCADE,
                    FOREIGN KEY (team_id, project_id, data_key_generation) REFERENCES data_key (team_id, project_id, generation),
                    CHECK ((action = 'delete') = (sealed_values IS NULL))
                )
                """,
                "CREATE INDEX group_version_by_time ON group_version (team_id, project_id, at)",
                """
                INSERT INTO group_version (team_id, project_id, group_id, version, action, at, actor, changed_keys, changed_fields, name,
                    description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies,
                    external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at)
                SELECT team_id, project_id, id, version, CASE version WHEN 1 THEN 'create' ELSE 'update' END, updated_at, 'system', '[]',
                    '[]', name, description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies,
                    external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at
                FROM secret_group
                """,
                "ALTER TABLE audit_entry ADD COLUMN version bigint",
            ]
        ),
        Migration(
            name: "v5-change-feed",
            statements: [
                // Each project's changes numbered 1, 2, 3, ... in sequence order: the change feed's revisions, for the
                // log written so far too. They are assigned under the audit head's lock, so replicas cannot collide.
                "ALTER TABLE audit_entry ADD COLUMN revision bigint",
                """
                UPDATE audit_entry SET revision = numbered.revision
                FROM (SELECT sequence, row_number() OVER (PARTITION BY team_id, project_id ORDER BY sequence) AS revision
                    FROM audit_entry WHERE project_id IS NOT NULL) AS numbered
                WHERE audit_entry.sequence = numbered.sequence
                """,
                "CREATE UNIQUE INDEX audit_entry_by_revision ON audit_entry (team_id, project_id, revision)",
            ]
        ),
    ]

    /// The names of every migration this version knows, oldest first.
    public static var migrationNames: [String] { migrations.map(\.name) }

    /// Holds the session-level migration lock on `connection` while `body` runs; released even when `body` throws.
    package func withMigrationLock(on connection: PostgresConnection, _ body: () async throws -> Void) async throws {
        let (lockClass, schemaKey) = (Self.migrationLockClass, Self.migrationLockSchemaKey)
        try await connection.execute("SELECT pg_advisory_lock(\(lockClass), \(unescaped: schemaKey))", logger: logger)
        do {
            try await body()
        } catch {
            try? await connection.execute("SELECT pg_advisory_unlock(\(lockClass), \(unescaped: schemaKey))", logger: logger)
            throw error
        }
        try await connection.execute("SELECT pg_advisory_unlock(\(lockClass), \(unescaped: schemaKey))", logger: logger)
    }

    /// Applies every migration not yet recorded, each in its own transaction; the caller holds the migration lock.
    package func migrate(on connection: PostgresConnection) async throws {
        try await connection.execute(
            "CREATE TABLE IF NOT EXISTS coffer_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger
        )
        let applied = Set(try await connection.values(String.self, "SELECT name FROM coffer_migrations", logger: logger))
        for migration in Self.migrations where !applied.contains(migration.name) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.execute(statement, logger: self.logger)
                }
                try await connection.execute("INSERT INTO coffer_migrations (name) VALUES (\(migration.name))", logger: self.logger)
            }
            logger.info("Applied PostgreSQL migration \(migration.name)")
        }
    }

    /// The names of the migrations this database has applied, in the order they were applied.
    public func appliedMigrations() async throws -> [String] {
        try await read { connection in
            try await connection.values(String.self, "SELECT name FROM coffer_migrations ORDER BY applied_at, name", logger: self.logger)
        }
    }
}
