import CofferStore
import GRDB

extension SQLiteStore {
    /// The schema, one named migration per change; applied migrations are recorded in `grdb_migrations`.
    /// `openingKeyID` is the id of the master key that opened the check value: before v4 there was only ever one key,
    /// so it is the key that wrapped every existing data key.
    package static func migrator(openingKeyID: String) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-teams-tokens-projects-secret-groups") { db in
            try db.execute(
                sql: """
                    CREATE TABLE master_key_check (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        check_value BLOB NOT NULL
                    );
                    CREATE TABLE team (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE token (
                        id TEXT PRIMARY KEY NOT NULL,
                        team_id TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        secret_hash BLOB NOT NULL UNIQUE,
                        role TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        revoked_at INTEGER
                    );
                    CREATE TABLE project (
                        team_id TEXT NOT NULL REFERENCES team(id) ON DELETE CASCADE,
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        description TEXT,
                        created_at INTEGER NOT NULL,
                        data_key_generation INTEGER NOT NULL,
                        wrapped_data_key BLOB NOT NULL,
                        PRIMARY KEY (team_id, id)
                    );
                    CREATE TABLE secret_group (
                        team_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        description TEXT,
                        type TEXT NOT NULL CHECK (type IN ('secret', 'config')),
                        secret_type TEXT NOT NULL CHECK (secret_type IN ('environment', 'arguments', 'environment-arguments')),
                        priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
                        tags TEXT NOT NULL,
                        stage_id TEXT,
                        restrictions TEXT NOT NULL,
                        addon_dependencies TEXT NOT NULL,
                        external_addon_dependencies TEXT NOT NULL,
                        sealed_values BLOB NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (team_id, project_id, id),
                        FOREIGN KEY (team_id, project_id) REFERENCES project(team_id, id) ON DELETE CASCADE
                    );
                    """
            )
        }
        migrator.registerMigration("v2-addons") { db in
            try db.execute(
                sql: """
                    CREATE TABLE addon (
                        team_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('addon', 'external')),
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        type TEXT NOT NULL,
                        version_label TEXT,
                        sealed_credentials BLOB NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (team_id, project_id, kind, id),
                        FOREIGN KEY (team_id, project_id) REFERENCES project(team_id, id) ON DELETE CASCADE
                    );
                    """
            )
        }
        migrator.registerMigration("v3-workloads") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workload (
                        team_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('service', 'job')),
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        tags TEXT NOT NULL,
                        stage_id TEXT,
                        sealed_values BLOB NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (team_id, project_id, kind, id),
                        FOREIGN KEY (team_id, project_id) REFERENCES project(team_id, id) ON DELETE CASCADE
                    );
                    """
            )
        }
        migrator.registerMigration("v4-key-rotation") { db in
            try migrateToKeyRotation(db, openingKeyID: openingKeyID)
        }
        migrator.registerMigration("v5-token-scopes") { db in
            // JSON: an array of project ids, and a {projectId, kind, id} workload; NULL means unlimited / none.
            try db.execute(
                sql: """
                    ALTER TABLE token ADD COLUMN project_ids TEXT;
                    ALTER TABLE token ADD COLUMN workload TEXT;
                    """
            )
        }
        migrator.registerMigration("v6-audit") { db in
            // No foreign keys: the log outlives the projects and tokens it names. `sequence` is assigned by the
            // chain (last + 1), never reused.
            try db.execute(
                sql: """
                    CREATE TABLE audit_entry (
                        sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
                        at INTEGER NOT NULL,
                        team_id TEXT NOT NULL,
                        project_id TEXT,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        changed_keys TEXT NOT NULL,
                        changed_fields TEXT NOT NULL,
                        route TEXT,
                        request_id TEXT,
                        previous_hash BLOB NOT NULL,
                        hash BLOB NOT NULL
                    );
                    CREATE INDEX audit_entry_by_project ON audit_entry (team_id, project_id, sequence);
                    """
            )
        }
        migrator.registerMigration("v7-history") { db in
            // A group's versions, its row's columns as each version left it (NULL for a delete). No foreign key to the
            // group: history outlives it; it goes with its project. Groups written before history existed get their
            // current state as their first kept version, so a project can be put back to any moment since.
            try db.execute(
                sql: """
                    CREATE TABLE group_version (
                        team_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        group_id TEXT NOT NULL,
                        version INTEGER NOT NULL CHECK (version >= 1),
                        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'rollback', 'restore')),
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        changed_keys TEXT NOT NULL,
                        changed_fields TEXT NOT NULL,
                        name TEXT,
                        description TEXT,
                        type TEXT,
                        secret_type TEXT,
                        priority INTEGER,
                        tags TEXT,
                        stage_id TEXT,
                        restrictions TEXT,
                        addon_dependencies TEXT,
                        external_addon_dependencies TEXT,
                        sealed_values BLOB,
                        data_key_generation INTEGER,
                        created_at INTEGER,
                        updated_at INTEGER,
                        PRIMARY KEY (team_id, project_id, group_id, version),
                        FOREIGN KEY (team_id, project_id) REFERENCES project(team_id, id) ON DELETE CASCADE,
                        CHECK ((action = 'delete') = (sealed_values IS NULL))
                    );
                    CREATE INDEX group_version_by_time ON group_version (team_id, project_id, at);
                    INSERT INTO group_version (team_id, project_id, group_id, version, action, at, actor, changed_keys, changed_fields,
                        name, description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies,
                        external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at)
                    SELECT team_id, project_id, id, version, CASE version WHEN 1 THEN 'create' ELSE 'update' END, updated_at, 'system',
                        '[]', '[]', name, description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies,
                        external_addon_dependencies, sealed_values, data_key_generation, created_at, updated_at
                    FROM secret_group;
                    ALTER TABLE audit_entry ADD COLUMN version INTEGER;
                    """
            )
        }
        migrator.registerMigration("v8-change-feed") { db in
            // Each project's changes numbered 1, 2, 3, ... in sequence order: the change feed's revisions, for the log
            // written so far too.
            try db.execute(
                sql: """
                    ALTER TABLE audit_entry ADD COLUMN revision INTEGER;
                    UPDATE audit_entry SET revision = numbered.revision
                    FROM (SELECT sequence, row_number() OVER (PARTITION BY team_id, project_id ORDER BY sequence) AS revision
                        FROM audit_entry WHERE project_id IS NOT NULL) AS numbered
                    WHERE audit_entry.sequence = numbered.sequence;
                    CREATE UNIQUE INDEX audit_entry_by_revision ON audit_entry (team_id, project_id, revision);
                    """
            )
        }
        return migrator
    }

    /// Data keys move out of `project` into `data_key`, one row per generation naming the master key that wraps it;
    /// every sealed row names the generation that sealed it; the check value names the primary key.
    private static func migrateToKeyRotation(_ db: Database, openingKeyID: String) throws {
        try db.execute(
            sql: """
                CREATE TABLE data_key (
                    team_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    generation INTEGER NOT NULL CHECK (generation >= 1),
                    wrapped BLOB NOT NULL,
                    master_key_id TEXT NOT NULL,
                    PRIMARY KEY (team_id, project_id, generation),
                    FOREIGN KEY (team_id, project_id) REFERENCES project(team_id, id) ON DELETE CASCADE
                );
                INSERT INTO data_key (team_id, project_id, generation, wrapped, master_key_id)
                    SELECT team_id, id, data_key_generation, wrapped_data_key, ? FROM project;
                ALTER TABLE project DROP COLUMN wrapped_data_key;
                ALTER TABLE secret_group ADD COLUMN data_key_generation INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE addon ADD COLUMN data_key_generation INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE workload ADD COLUMN data_key_generation INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE master_key_check ADD COLUMN master_key_id TEXT NOT NULL DEFAULT '';
                UPDATE master_key_check SET master_key_id = ?;
                """,
            arguments: [openingKeyID, openingKeyID]
        )
    }
}
