/// A location in a request body, rendered the way validation errors name it:
/// `restrictions.nfObjects[0].type`, `secrets.variables.NODE_ENV`, `secrets.files["/dir/file"].data`; the whole body is `body`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    /// The last component, linked to the path before it. Paths that extend one path share its nodes, so `appending`
    /// costs one small allocation however deep the path is (validation makes a path for every member it reads).
    private final class Node: Sendable {
        let parent: Node?
        let component: Component

        init(parent: Node?, component: Component) {
            self.parent = parent
            self.component = component
        }
    }

    private let last: Node?

    public init(_ components: [Component] = []) {
        last = components.reduce(nil) { Node(parent: $0, component: $1) }
    }

    private init(last: Node) {
        self.last = last
    }

    public static let root = JSONPath()

    /// The components from the body down.
    public var components: [Component] {
        var components: [Component] = []
        var node = last
        while let current = node {
            components.append(current.component)
            node = current.parent
        }
        return components.reversed()
    }

    public func appending(_ member: String) -> JSONPath {
        JSONPath(last: Node(parent: last, component: .member(member)))
    }

    public func appending(index: Int) -> JSONPath {
        JSONPath(last: Node(parent: last, component: .index(index)))
    }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool {
        lhs.last === rhs.last || lhs.components == rhs.components
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(components)
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
