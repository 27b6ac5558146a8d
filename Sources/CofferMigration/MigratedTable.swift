import CofferCrypto
import CofferStore
import Foundation
import GRDB
import PostgresNIO

/// One table as `StoreMigration` copies it: the same name and columns in both dialects (the PostgreSQL schema was made
/// from the SQLite one), the column types both agree on, and the primary key that orders rows for the digests.
package struct MigratedTable: Sendable {
    package enum ColumnType: Sendable {
        case text
        case integer
        case blob
    }

    package let name: String
    package let columns: [(name: String, type: ColumnType)]
    package let primaryKey: [String]

    /// Every copied table, parents before children so foreign keys hold at each insert. The migration bookkeeping
    /// (`grdb_migrations`, `coffer_migrations`) is not copied: each store records its own schema. `audit_head` is set
    /// from the last copied entry rather than copied, since SQLite has none.
    package static let all: [MigratedTable] = [
        MigratedTable(name: "team", columns: [("id", .text), ("name", .text), ("created_at", .integer)], primaryKey: ["id"]),
        MigratedTable(
            name: "token",
            columns: [
                ("id", .text), ("team_id", .text), ("name", .text), ("secret_hash", .blob), ("role", .text), ("project_ids", .text),
                ("workload", .text), ("created_at", .integer), ("expires_at", .integer), ("revoked_at", .integer),
            ],
            primaryKey: ["id"]
        ),
        MigratedTable(
            name: "project",
            columns: [
                ("team_id", .text), ("id", .text), ("name", .text), ("description", .text), ("created_at", .integer),
                ("data_key_generation", .integer),
            ],
            primaryKey: ["team_id", "id"]
        ),
        MigratedTable(
            name: "data_key",
            columns: [("team_id", .text), ("project_id", .text), ("generation", .integer), ("wrapped", .blob), ("master_key_id", .text)],
            primaryKey: ["team_id", "project_id", "generation"]
        ),
        MigratedTable(
            name: "secret_group",
            columns: [
                ("team_id", .text), ("project_id", .text), ("id", .text), ("name", .text), ("description", .text), ("type", .text),
                ("secret_type", .text), ("priority", .integer), ("tags", .text), ("stage_id", .text), ("restrictions", .text),
                ("addon_dependencies", .text), ("external_addon_dependencies", .text), ("sealed_values", .blob),
                ("data_key_generation", .integer), ("version", .integer), ("created_at", .integer), ("updated_at", .integer),
            ],
            primaryKey: ["team_id", "project_id", "id"]
        ),
        MigratedTable(
            name: "group_version",
            columns: [
                ("team_id", .text), ("project_id", .text), ("group_id", .text), ("version", .integer), ("action", .text), ("at", .integer),
                ("actor", .text), ("changed_keys", .text), ("changed_fields", .text), ("name", .text), ("description", .text),
                ("type", .text), ("secret_type", .text), ("priority", .integer), ("tags", .text), ("stage_id", .text),
                ("restrictions", .text), ("addon_dependencies", .text), ("external_addon_dependencies", .text), ("sealed_values", .blob),
                ("data_key_generation", .integer), ("created_at", .integer), ("updated_at", .integer),
            ],
            primaryKey: ["team_id", "project_id", "group_id", "version"]
        ),
        MigratedTable(
            name: "addon",
            columns: [
                ("team_id", .text), ("project_id", .text), ("kind", .text), ("id", .text), ("name", .text), ("type", .text),
                ("version_label", .text), ("sealed_credentials", .blob), ("data_key_generation", .integer), ("version", .integer),
                ("created_at", .integer), ("updated_at", .integer),
            ],
            primaryKey: ["team_id", "project_id", "kind", "id"]
        ),
        MigratedTable(
            name: "workload",
            columns: [
                ("team_id", .text), ("project_id", .text), ("kind", .text), ("id", .text), ("name", .text), ("tags", .text),
                ("stage_id", .text), ("sealed_values", .blob), ("data_key_generation", .integer), ("version", .integer),
                ("created_at", .integer), ("updated_at", .integer),
            ],
            primaryKey: ["team_id", "project_id", "kind", "id"]
        ),
        MigratedTable(
            name: "audit_entry",
            columns: [
                ("sequence", .integer), ("at", .integer), ("team_id", .text), ("project_id", .text), ("actor", .text), ("action", .text),
                ("resource_type", .text), ("resource_id", .text), ("changed_keys", .text), ("changed_fields", .text), ("version", .integer),
                ("revision", .integer), ("route", .text), ("request_id", .text), ("previous_hash", .blob), ("hash", .blob),
            ],
            primaryKey: ["sequence"]
        ),
        MigratedTable(
            name: "master_key_check",
            columns: [("id", .integer), ("check_value", .blob), ("master_key_id", .text)],
            primaryKey: ["id"]
        ),
    ]

    /// One stored value, typed as the column declares it.
    package enum Cell: Sendable, Equatable {
        case null
        case integer(Int64)
        case text(String)
        case blob(Data)

        func add(to digest: inout ContentDigest) {
            switch self {
            case .null: digest.addNull()
            case .integer(let value): digest.add(value)
            case .text(let value): digest.add(value)
            case .blob(let value): digest.add(value)
            }
        }

        var databaseValue: DatabaseValue {
            switch self {
            case .null: .null
            case .integer(let value): value.databaseValue
            case .text(let value): value.databaseValue
            case .blob(let value): value.databaseValue
            }
        }

        func bind(to binds: inout PostgresBindings) throws {
            switch self {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .text(let value): binds.append(value)
            case .blob(let value): try binds.append(value)
            }
        }
    }

    package typealias Rows = [[Cell]]

    /// The tables whose rows make a store non-empty; `master_key_check` (and PostgreSQL's `audit_head`) are written by
    /// opening a store.
    package static let dataTables = all.map(\.name).filter { $0 != "master_key_check" }

    /// The table of that name in `all`; only ever called with a name written in the code.
    package static func named(_ name: String) -> MigratedTable {
        guard let table = all.first(where: { $0.name == name }) else { preconditionFailure("No copied table is named \(name)") }
        return table
    }

    /// The position of the column of that name in a row; only ever called with a name written in the code.
    package func index(of column: String) -> Int {
        guard let index = columns.firstIndex(where: { $0.name == column }) else { preconditionFailure("\(name) has no column \(column)") }
        return index
    }

    private var columnList: String { columns.map(\.name).joined(separator: ", ") }

    /// Reads the whole table a page at a time from the start until a short page, handing each page to `body`.
    nonisolated(nonsending) package func forEachPage(
        _ read: (_ offset: Int, _ limit: Int) async throws -> Rows,
        _ body: (Rows) async throws -> Void
    ) async throws {
        var offset = 0
        while true {
            let rows = try await read(offset, pageSize)
            try await body(rows)
            offset += rows.count
            if rows.count < pageSize { return }
        }
    }

    /// `forEachPage` inside a transaction that cannot wait (a SQLite write).
    package func forEachPage(_ read: (_ offset: Int, _ limit: Int) throws -> Rows, _ body: (Rows) throws -> Void) throws {
        var offset = 0
        while true {
            let rows = try read(offset, pageSize)
            try body(rows)
            offset += rows.count
            if rows.count < pageSize { return }
        }
    }

    // MARK: SQLite

    /// Up to `limit` rows after the first `offset` in primary key order (SQLite compares text bytewise).
    package func sqliteRows(_ db: Database, offset: Int, limit: Int) throws -> Rows {
        // Table and column names come from the list above, never from input.
        let sql = "SELECT \(columnList) FROM \(name) ORDER BY \(primaryKey.joined(separator: ", ")) LIMIT ? OFFSET ?"
        return try Row.fetchAll(db, sql: sql, arguments: [limit, offset]).map { row in
            try columns.enumerated().map { index, column in try cell(row[index] as DatabaseValue, column: column.name, type: column.type) }
        }
    }

    /// Inserts `rows` with one prepared statement; every value is an argument.
    package func insert(_ rows: Rows, into db: Database) throws {
        guard !rows.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "INSERT INTO \(name) (\(columnList)) VALUES (\(placeholders))")
        for row in rows {
            try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
        }
    }

    private func cell(_ value: DatabaseValue, column: String, type: ColumnType) throws -> Cell {
        switch (value.storage, type) {
        case (.null, _): return .null
        case (.int64(let integer), .integer): return .integer(integer)
        case (.string(let text), .text): return .text(text)
        case (.blob(let bytes), .blob): return .blob(bytes)
        default: throw StoreError(.corrupted, "The SQLite column \(name).\(column) holds a value of an unexpected type")
        }
    }

    // MARK: PostgreSQL

    /// Inserts `rows` with one statement; every value is a bind.
    package func insert(_ rows: Rows, on connection: PostgresConnection, logger: Logger) async throws {
        guard !rows.isEmpty else { return }
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var tuples: [String] = []
        for row in rows {
            let first = binds.count
            for cell in row { try cell.bind(to: &binds) }
            tuples.append("(" + (first + 1...first + row.count).map { "$\($0)" }.joined(separator: ", ") + ")")
        }
        let sql = "INSERT INTO \(name) (\(columnList)) VALUES \(tuples.joined(separator: ", "))"
        try await connection.execute(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    }

    /// Up to `limit` rows after the first `offset` in the order SQLite gives them: text keys compared by bytes
    /// (`COLLATE "C"`), whatever the database's default collation.
    package func postgresRows(on connection: PostgresConnection, offset: Int, limit: Int, logger: Logger) async throws -> Rows {
        let order = primaryKey.map { key in columns.first { $0.name == key }?.type == .text ? "\(key) COLLATE \"C\"" : key }
        let sql = "SELECT \(columnList) FROM \(name) ORDER BY \(order.joined(separator: ", ")) LIMIT \(limit) OFFSET \(offset)"
        var rows: Rows = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            let cells = row.makeRandomAccess()
            rows.append(
                try columns.enumerated().map { index, column -> Cell in
                    switch column.type {
                    case .integer: return try cells[index].decode(Int64?.self).map(Cell.integer) ?? .null
                    case .text: return try cells[index].decode(String?.self).map(Cell.text) ?? .null
                    case .blob: return try cells[index].decode(Data?.self).map(Cell.blob) ?? .null
                    }
                }
            )
        }
        return rows
    }

    /// Rows per statement: PostgreSQL takes at most 65535 binds in one.
    package var pageSize: Int { min(1000, 60_000 / columns.count) }
}
