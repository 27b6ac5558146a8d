/// Writes JSON bytes without the Codable machinery, byte for byte what `JSONEncoder` writes with `.sortedKeys` and
/// `.withoutEscapingSlashes`: members of a dictionary in the byte order of their UTF-8 keys, strings unnormalised,
/// `"` `\` and control characters escaped, everything else as it is. It writes the answers on the write path
/// (`CofferAPI`, where profiling showed Codable cost a quarter of a PUT) and the layouts the stores seal
/// (`StoredPayload`); tests compare both with `JSONEncoder` on awkward inputs.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @usableFromInline
    package mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs that need no escaping are copied whole.
            var start = 0
            for (index, byte) in utf8.enumerated() where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw(#"\""#)
        case UInt8(ascii: "\\"): raw(#"\\"#)
        case 0x08: raw(#"\b"#)
        case 0x0C: raw(#"\f"#)
        case 0x0A: raw(#"\n"#)
        case 0x0D: raw(#"\r"#)
        case 0x09: raw(#"\t"#)
        default:
            raw(#"\u00"#)
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    /// Appends one byte (for the inlinable writers, which may not touch `bytes` directly).
    @usableFromInline
    mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    package static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    package mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func boolean(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// `"key":` with the separator before it unless it is the object's first member.
    package mutating func key(_ key: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(key)
        raw("\":")
    }

    // The generic writers are inlinable so that callers in other modules get them specialized: unspecialized, each
    // call looked up generic metadata at run time, which profiling of PUT found among its larger costs.
    @inlinable
    package mutating func array<Element>(_ elements: [Element], _ write: (inout JSONWriter, Element) -> Void) {
        byte(UInt8(ascii: "["))
        for index in elements.indices {
            if index > 0 { byte(UInt8(ascii: ",")) }
            write(&self, elements[index])
        }
        byte(UInt8(ascii: "]"))
    }

    /// An object from a dictionary, members in sorted key order.
    @inlinable
    package mutating func object<Value>(_ members: [String: Value], _ write: (inout JSONWriter, Value) -> Void) {
        byte(UInt8(ascii: "{"))
        for (index, key) in members.keys.sorted(by: Self.precedes).enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            string(key)
            byte(UInt8(ascii: ":"))
            write(&self, members[key]!)
        }
        byte(UInt8(ascii: "}"))
    }

    /// The order `.sortedKeys` puts keys in.
    @usableFromInline
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

