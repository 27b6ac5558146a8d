import CofferStore
import PostgresNIO

/// One PostgreSQL result row read by column name, the way GRDB's `Row` is read: `let id: String = try row["id"]`.
package struct StoredRow: Sendable {
    /// Indexed once: looking a column up by name on a plain `PostgresRow` walks the row from its start every time.
    private let row: PostgresRandomAccessRow

    package init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// The value of `column`, decoded as the type the caller expects (an optional for a nullable column).
    package subscript<Value: PostgresDecodable>(_ column: String) -> Value {
        get throws {
            try row[column].decode(Value.self, context: .default)
        }
    }

    /// Whether the query read `column`.
    package func has(_ column: String) -> Bool {
        row.contains(column)
    }
}
