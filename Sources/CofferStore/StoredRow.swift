import PostgresNIO

/// One PostgreSQL result row read by column name, the way GRDB's `Row` is read: `let id: String = try row["id"]`.
struct StoredRow: Sendable {
    private let row: PostgresRow

    init(_ row: PostgresRow) {
        self.row = row
    }

    /// The value of `column`, decoded as the type the caller expects (an optional for a nullable column).
    subscript<Value: PostgresDecodable>(_ column: String) -> Value {
        get throws {
            try row.makeRandomAccess()[column].decode(Value.self, context: .default)
        }
    }
}
