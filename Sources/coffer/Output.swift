import CofferCore
import Foundation
import Yams

/// Prints answers as JSON, YAML or a table, to standard output.
enum Output {
    static func print(_ value: some Encodable, as format: OutputFormat, quiet: Bool) throws {
        guard !quiet else { return }
        Swift.print(try render(value, as: format))
    }

    static func render(_ value: some Encodable, as format: OutputFormat) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(value)
        switch format {
        case .json:
            return String(decoding: json, as: UTF8.self)
        case .yaml:
            let tree = try JSONParser().parse(Array(json))
            return try Yams.dump(object: plain(tree), sortKeys: true).trimmingCharacters(in: .newlines)
        case .table:
            return table(try JSONParser().parse(Array(json)))
        }
    }

    /// A parsed JSON value as Foundation values Yams knows how to write (strings stay strings: `"10"` is quoted).
    static func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let literal):
            if let integer = Int(literal) { integer } else if let double = Double(literal) { double } else { literal }
        case .string(let text): text
        case .array(let values): values.map(plain)
        case .object(let members): Dictionary(members.map { ($0.0, plain($0.1)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// A list (the array in an object, or the value itself) as aligned columns: `id` and `name` first, then every
    /// other member that is a string, number or boolean.
    static func table(_ value: JSONValue) -> String {
        var rows: [[(String, JSONValue)]] = []
        switch value {
        case .array(let items):
            rows = items.compactMap { if case .object(let members) = $0 { members } else { nil } }
        case .object(let members):
            if let list = members.first(where: { if case .array = $0.1 { true } else { false } }), case .array(let items) = list.1 {
                rows = items.compactMap { if case .object(let members) = $0 { members } else { nil } }
            } else {
                rows = [members]
            }
        default:
            return "\(value)"
        }
        var columns: [String] = []
        for row in rows {
            for (name, cell) in row where !columns.contains(name) {
                switch cell {
                case .string, .number, .bool: columns.append(name)
                default: continue
                }
            }
        }
        columns.sort { (rank($0), $0) < (rank($1), $1) }
        let cells = rows.map { row in columns.map { column in text(row.first { $0.0 == column }?.1) } }
        return Self.columns(columns.map { $0.uppercased() }, cells)
    }

    /// Rows of cells under `headers`, each column as wide as its widest cell.
    static func columns(_ headers: [String], _ cells: [[String]]) -> String {
        let widths = headers.indices.map { index in ([headers[index]] + cells.map { $0[index] }).map(\.count).max() ?? 0 }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(headers)] + cells.map(line)).joined(separator: "\n")
    }

    static func rank(_ column: String) -> Int {
        ["id": 0, "name": 1][column] ?? 2
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .number(let literal): literal
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }
}
