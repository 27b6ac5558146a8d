import CofferCore
import Yams

extension JSONValue {
    /// A YAML node as the JSON its author means, values as written: members keep their order, and a plain scalar is
    /// a number only when it is written as a JSON number and a boolean only as `true` or `false` (any case YAML
    /// allows). So `ZIP: 01234`, `MODE: 0755`, `ENABLED: yes` or `RATE: .5` stay the strings they look like, where YAML
    /// 1.1 would turn them into 668, 493, `true` and 0.5: the digits of a secret are never reinterpreted.
    init(yaml node: Node) throws(YAMLShapeError) {
        switch node {
        case .scalar(let scalar):
            self = Self.scalar(scalar.string, tag: Tag.Name(rawValue: node.tag.rawValue))
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try JSONValue(yaml: item)) }
            self = .array(items)
        case .mapping(let mapping):
            var members: [(String, JSONValue)] = []
            for (key, value) in mapping {
                guard case .scalar(let name) = key else { throw YAMLShapeError(reason: "a mapping key is not a plain name", node: key) }
                members.append((name.string, try JSONValue(yaml: value)))
            }
            self = .object(members)
        case .alias:
            throw YAMLShapeError(reason: "an alias that was not resolved", node: node)
        }
    }

    private static func scalar(_ text: String, tag: Tag.Name) -> JSONValue {
        switch tag {
        case .null:
            return .null
        case .bool where ["true", "True", "TRUE"].contains(text):
            return .bool(true)
        case .bool where ["false", "False", "FALSE"].contains(text):
            return .bool(false)
        case .int, .float:
            if case .number(let literal)? = try? JSONParser().parse(Array(text.utf8)) { return .number(literal) }
            return .string(text)
        default:
            return .string(text)
        }
    }
}

/// YAML that has no JSON form (a mapping used as a key, say), and the line it is on; never the text itself.
struct YAMLShapeError: Error, CustomStringConvertible {
    var reason: String
    var line: Int?

    init(reason: String, node: Node) {
        self.reason = reason
        line = node.mark?.line
    }

    var description: String { line.map { "\(reason) at line \($0)" } ?? reason }
}
