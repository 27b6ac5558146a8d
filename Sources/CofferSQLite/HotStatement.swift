import Foundation
import GRDB
import GRDBSQLite

/// One of the write path's busiest statements, run through SQLite's C interface on the statement GRDB prepared and
/// caches for the connection. GRDB's own execution copies every argument into a `DatabaseValue` and every result row
/// into a `Row` before a value is read; on the write path those copies cost more than SQLite's work (a PUT profile:
/// reading a group's row and recording the write took a fifth of the server's CPU, SQLite itself a third of that).
/// Here values are bound from and read into Swift values directly. GRDB still prepares, caches and finalizes the
/// statement; each use begins by resetting it and ends with it reset, so GRDB finds it as it left it.
struct HotStatement: PositionalRow, ~Copyable {
    /// Held so that GRDB cannot finalize it (dropping its cache) while it is in use here.
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    deinit {
        sqlite3_reset(handle)
    }

    // MARK: Binding, in parameter order

    mutating func bind(_ value: String) {
        index += 1
        sqlite3_bind_text(handle, index, value, -1, Self.transient)
    }

    mutating func bind(_ value: String?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    mutating func bind(_ value: Int) {
        bind(Int64(value))
    }

    mutating func bind(_ value: Int?) {
        guard let value else { return bindNull() }
        bind(Int64(value))
    }

    mutating func bind(_ value: Int64?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Data) {
        index += 1
        value.withUnsafeBytes { bytes in
            // A null pointer would bind NULL, not an empty blob.
            if let base = bytes.baseAddress, bytes.count > 0 {
                sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
    }

    mutating func bind(_ value: Data?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bindNull() {
        index += 1
        sqlite3_bind_null(handle, index)
    }

    // MARK: Running

    /// Runs a statement that returns no rows.
    func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Steps to the next row; false when there is none.
    func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else { throw error(code) }
        return false
    }

    // MARK: Reading the current row, by column position

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func data(_ column: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sqlite3_sql(handle).map { String(cString: $0) })
    }

    /// SQLite copies what is bound before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
