import Foundation
import GRDB

/// A result row read by column position: the current row of a `HotStatement` (the write path's reads) or a `Row` GRDB
/// fetched (every other read). The driver's row readers (`SQLiteStore.group(from:in:)` and its kin) take either, so
/// each layout is read in one place.
protocol PositionalRow: ~Copyable {
    func string(_ column: Int32) -> String
    func int64(_ column: Int32) -> Int64
    func data(_ column: Int32) -> Data
    func isNull(_ column: Int32) -> Bool
}

extension PositionalRow where Self: ~Copyable {
    func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : string(column)
    }

    func int(_ column: Int32) -> Int {
        Int(int64(column))
    }
}

extension Row: PositionalRow {
    func string(_ column: Int32) -> String { self[Int(column)] }
    func int64(_ column: Int32) -> Int64 { self[Int(column)] }
    func data(_ column: Int32) -> Data { self[Int(column)] }
    func isNull(_ column: Int32) -> Bool { hasNull(atIndex: Int(column)) }
}
