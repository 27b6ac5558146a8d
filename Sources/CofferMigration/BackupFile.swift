import CofferCrypto
import CofferStore
import Foundation

/// A backup file read back and checked before anything is restored from it: the magic, the checksum over every line
/// before the last, the header's tables against the ones this version stores, and the number of row lines. Rows are
/// parsed a page at a time from the file (mapped, not copied).
///
/// The layout, one line each: `coffer-backup 1 {header JSON}` (see `BackupHeader`), then every table's rows in the
/// header's order as JSON arrays (see `MigratedTable.jsonLine`), then `checksum <hex>`: the SHA-256 of every byte
/// before that line, so `head -n -1 FILE | sha256sum` prints it too.
package struct BackupFile: Sendable {
    /// What the last line starts with.
    package static let checksumPrefix = "checksum "

    package let path: String
    package let header: BackupHeader
    private let data: Data
    /// Where each line starts, then one past the end of the file's last newline: line `i` is
    /// `lineStarts[i] ..< lineStarts[i + 1] - 1`.
    private let lineStarts: [Int]
    /// The line number of each table's first row.
    private let firstRows: [Int]

    /// Reads and checks the file; throws a `corrupted` `StoreError` naming what is wrong.
    package init(contentsOf path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw StoreError(.invalidConfiguration, "Cannot read the backup file '\(path)': \(error.localizedDescription)")
        }
        guard data.starts(with: Data((BackupHeader.magic + " ").utf8)) else { throw BackupFileError.notABackup(path) }
        let starts = Self.lineStarts(of: data)
        // At least the header and the checksum; the last line must be a whole checksum line.
        guard starts.count >= 3, data.last == UInt8(ascii: "\n") else { throw BackupFileError.truncated(path) }
        let trailer = String(decoding: data[starts[starts.count - 2] ..< data.count - 1], as: UTF8.self)
        guard trailer.hasPrefix(Self.checksumPrefix), trailer.count == Self.checksumPrefix.count + 64 else { throw BackupFileError.truncated(path) }
        var checksum = ByteDigest()
        checksum.add(data[0 ..< starts[starts.count - 2]])
        guard checksum.hex == trailer.dropFirst(Self.checksumPrefix.count) else {
            throw BackupFileError.corrupted(path, "its checksum does not match its contents")
        }
        let header = try BackupHeader(line: data[0 ..< starts[1] - 1], file: path)
        let rowLines = starts.count - 3
        let expected = header.tables.reduce(0) { $0 + $1.rows }
        guard rowLines == expected else { throw BackupFileError.corrupted(path, "it holds \(rowLines) rows where its header names \(expected)") }
        self.data = data
        self.header = header
        self.lineStarts = Array(starts.dropLast(1))
        firstRows = header.tables.reduce(into: [1]) { $0.append($0.last! + $1.rows) }
    }

    /// Up to `limit` rows of `table` after the first `offset`, in the order they were written (primary key order).
    package func rows(of table: MigratedTable, offset: Int, limit: Int) throws -> MigratedTable.Rows {
        guard let index = header.tables.firstIndex(where: { $0.name == table.name }) else { return [] }
        let first = firstRows[index] + offset
        let end = min(firstRows[index + 1], first + limit)
        guard first < end else { return [] }
        let lines = (first ..< end).map { data[lineStarts[$0] ..< lineStarts[$0 + 1] - 1] }
        let (rows, badLine) = table.rows(fromJSON: lines)
        if let badLine {
            throw BackupFileError.corrupted(path, "row \(offset + badLine + 1) of table \(table.name) does not fit its columns")
        }
        return rows
    }

    /// Every row of `table`.
    package func rows(of table: MigratedTable) throws -> MigratedTable.Rows {
        try rows(of: table, offset: 0, limit: .max / 2)
    }

    /// Each table's count and digest as parsed from the file, in `MigratedTable.all` order.
    package func digests() throws -> [TableDigest] {
        try MigratedTable.all.map { table in try TableDigest.of(table) { try rows(of: table, offset: $0, limit: $1) } }
    }

    /// `digests()`, refusing a file whose rows do not match what its header says of them.
    package func verifiedDigests() throws -> [TableDigest] {
        let digests = try digests()
        for (table, digest) in zip(header.tables, digests) where table.rows != digest.count || table.digest != digest.hex {
            throw BackupFileError.corrupted(path, "the rows of table \(table.name) do not match the digest its header records")
        }
        return digests
    }

    /// The last audit entry's sequence and hash (0 and no bytes for an empty log): where the restored chain goes on.
    package func auditHead() throws -> (sequence: Int64, hash: Data) {
        let table = MigratedTable.named("audit_entry")
        let count = header.tables.first { $0.name == table.name }?.rows ?? 0
        guard count > 0 else { return (0, Data()) }
        let last = try rows(of: table, offset: count - 1, limit: 1).first ?? []
        guard case .integer(let sequence) = last[table.index(of: "sequence")], case .blob(let hash) = last[table.index(of: "hash")] else {
            throw BackupFileError.corrupted(path, "its last audit entry has no sequence and hash")
        }
        return (sequence, hash)
    }

    /// The offset of each line's first byte, and one past each line's newline at the end.
    private static func lineStarts(of data: Data) -> [Int] {
        var starts = [0]
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) {
                offset = base.distance(to: UnsafeRawPointer(found)) + 1
                starts.append(offset)
            }
        }
        return starts
    }
}
