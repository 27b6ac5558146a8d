/// A location in a request body, rendered the way validation errors name it:
/// `restrictions.nfObjects[0].type`, `secrets.variables.NODE_ENV`, `secrets.files["/dir/file"].data`; the whole body is `body`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = JSONPath()

    public func appending(_ member: String) -> JSONPath {
        JSONPath(components + [.member(member)])
    }

    public func appending(index: Int) -> JSONPath {
        JSONPath(components + [.index(index)])
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .member(let name) where Self.isPlainName(name):
                text += text.isEmpty ? name : ".\(name)"
            case .member(let name):
                text += "[\(Self.quoted(name))]"
            }
        }
        return text.isEmpty ? "body" : text
    }

    /// Names made of letters, digits and `_` (not starting with a digit) print bare; others print quoted in brackets.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !(first.value >= 0x30 && first.value <= 0x39) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" }
    }

    static func quoted(_ name: String) -> String {
        var text = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20:
                text += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
