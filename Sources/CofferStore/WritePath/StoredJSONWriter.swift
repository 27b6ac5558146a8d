import Foundation

/// Writes the stored layouts' JSON straight into bytes, the same bytes Foundation's `JSONEncoder` writes with
/// `.sortedKeys` and `.withoutEscapingSlashes` (`StoredJSON.encode`, which the tests compare it with): object members in
/// the byte order of their UTF-8 names, strings unnormalised, `"` `\` and control characters escaped (`\b \t \n \f \r`,
/// the rest as `\u00xx`), everything else as it is. Every write seals one of these, so it skips `Codable`'s boxes.
package struct StoredJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var firstField = false

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package var data: Data { Data(bytes) }
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            for nibble in [byte >> 4, byte & 0x0F] { bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10) }
        }
    }

    package mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    package mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    package mutating func array<Element>(_ values: [Element], _ element: (inout Self, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A map as an object, its members in the byte order of their UTF-8 keys.
    package mutating func map<Value>(_ values: [String: Value], _ value: (inout Self, Value) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
            value(&self, member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func strings(_ values: [String: String]) {
        map(values) { $0.string($1) }
    }

    /// A struct as an object: `fields` writes each with `field` and then its value, in the byte order of their names
    /// (the caller's to keep).
    package mutating func object(_ fields: (inout Self) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        firstField = true
        fields(&self)
        firstField = false
        bytes.append(UInt8(ascii: "}"))
    }

    /// `"name":`, after a comma unless it is the object's first field.
    package mutating func field(_ name: StaticString) {
        if !firstField { bytes.append(UInt8(ascii: ",")) }
        firstField = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: "\":".utf8)
    }
}
