import CofferCrypto
import CofferStore

/// A running row count and digest of one table's rows.
package struct TableDigest {
    private(set) var count = 0
    private var digest = ContentDigest()

    package mutating func add(_ rows: MigratedTable.Rows) {
        for row in rows {
            for cell in row { cell.add(to: &digest) }
        }
        count += rows.count
    }

    package func kind(_ name: String, against target: TableDigest) -> MigrationReport.Kind {
        MigrationReport.Kind(name: name, sourceCount: count, targetCount: target.count, sourceDigest: digest.hex, targetDigest: target.digest.hex)
    }
}
