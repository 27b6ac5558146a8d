extension JSONValue {
    /// Compact JSON text of this value, with numbers exactly as they were written and members in their order: the CLI
    /// sends a definition as its author wrote it (`"priority": 1.0` stays a number with a fraction, for the server to
    /// judge), and the server writes its OpenAPI document in the order it is built.
    public var jsonText: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let literal): text += literal
        case .string(let string): Self.write(string, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.write(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, (name, value)) in members.enumerated() {
                if index > 0 { text += "," }
                Self.write(name, to: &text)
                text += ":"
                value.write(to: &text)
            }
            text += "}"
        }
    }

    /// A string as JSON, escaped as `JSONEncoder` escapes it.
    private static func write(_ string: String, to text: inout String) {
        var writer = JSONWriter(capacity: string.utf8.count + 2)
        writer.string(string)
        text += String(decoding: writer.bytes, as: UTF8.self)
    }
}
