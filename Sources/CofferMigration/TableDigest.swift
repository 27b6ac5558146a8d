import CofferCrypto
import CofferStore

/// A running row count and digest of one table's rows.
package struct TableDigest: Sendable {
    package private(set) var count = 0
    private var digest = ContentDigest()

    package init() {}

    package mutating func add(_ rows: MigratedTable.Rows) {
        for row in rows {
            for cell in row { cell.add(to: &digest) }
        }
        count += rows.count
    }

    /// Lowercase hex of the SHA-256 over the rows added so far.
    package var hex: String { digest.hex }

    package func kind(_ name: String, against target: TableDigest) -> MigrationReport.Kind {
        MigrationReport.Kind(name: name, sourceCount: count, targetCount: target.count, sourceDigest: digest.hex, targetDigest: target.digest.hex)
    }

    /// The digest of the whole of `table` as `read` gives it, a page at a time.
    nonisolated(nonsending) package static func of(
        _ table: MigratedTable,
        _ read: (_ offset: Int, _ limit: Int) async throws -> MigratedTable.Rows
    ) async throws -> TableDigest {
        var digest = TableDigest()
        try await table.forEachPage(read) { digest.add($0) }
        return digest
    }

    /// `of(_:_:)` inside a transaction that cannot wait (a SQLite write).
    package static func of(_ table: MigratedTable, _ read: (_ offset: Int, _ limit: Int) throws -> MigratedTable.Rows) throws -> TableDigest {
        var digest = TableDigest()
        try table.forEachPage(read) { digest.add($0) }
        return digest
    }
}
