import Foundation

/// How a backup file holds a row: one JSON array per line, a cell per column in the table's order. Integers are JSON
/// numbers, text is a JSON string, bytes (sealed values, hashes, wrapped keys: as stored) are base64 in a JSON string,
/// NULL is null; the column's declared type says which a string is.
extension MigratedTable {
    /// The row as one line of JSON, without its newline.
    package static func jsonLine(_ row: [Cell]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(row)
    }

    /// The rows in `lines` (each one JSON array), typed by the columns; nil names the first line that does not fit.
    package func rows(fromJSON lines: [Data]) -> (rows: Rows, badLine: Int?) {
        // One decoder call for the page: the lines joined into one array.
        var joined = Data("[".utf8)
        for (index, line) in lines.enumerated() {
            if index > 0 { joined.append(UInt8(ascii: ",")) }
            joined.append(line)
        }
        joined.append(UInt8(ascii: "]"))
        guard let decoded = try? JSONDecoder().decode([[JSONCell]].self, from: joined) else { return ([], firstUndecodable(lines)) }
        var rows: Rows = []
        rows.reserveCapacity(decoded.count)
        for (index, json) in decoded.enumerated() {
            guard json.count == columns.count else { return (rows, index) }
            var row: [Cell] = []
            row.reserveCapacity(json.count)
            for (cell, column) in zip(json, columns) {
                guard let typed = cell.typed(as: column.type) else { return (rows, index) }
                row.append(typed)
            }
            rows.append(row)
        }
        return (rows, nil)
    }

    private func firstUndecodable(_ lines: [Data]) -> Int {
        lines.firstIndex { (try? JSONDecoder().decode([JSONCell].self, from: $0)) == nil } ?? 0
    }
}

extension MigratedTable.Cell: Encodable {
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .blob(let value): try container.encode(value.base64EncodedString())
        }
    }
}

/// A cell as JSON holds it, before its column's type says whether a string is text or base64 bytes.
private enum JSONCell: Decodable {
    case null
    case integer(Int64)
    case string(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func typed(as type: MigratedTable.ColumnType) -> MigratedTable.Cell? {
        switch (self, type) {
        case (.null, _): .null
        case (.integer(let value), .integer): .integer(value)
        case (.string(let value), .text): .text(value)
        case (.string(let value), .blob): Data(base64Encoded: value).map(MigratedTable.Cell.blob)
        default: nil
        }
    }
}
