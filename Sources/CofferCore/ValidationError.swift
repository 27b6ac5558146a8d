/// A request body that breaks one or more rules. Every problem is listed, keyed by the JSON path it concerns;
/// messages name the rule and never quote the offending value, which may be secret.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Messages per JSON path, paths in the order they were found.
    public private(set) var issues: [(path: String, messages: [String])]

    public init() {
        issues = []
    }

    public init(_ message: String, at path: JSONPath) {
        issues = [(path.description, [message])]
    }

    public var isEmpty: Bool { issues.isEmpty }

    /// Records one broken rule at `path`.
    public mutating func add(_ message: String, at path: JSONPath) {
        add(message, atKey: path.description)
    }

    /// Records one broken rule at a path already rendered.
    mutating func add(_ message: String, atKey key: String) {
        if let index = issues.firstIndex(where: { $0.path == key }) {
            if !issues[index].messages.contains(message) { issues[index].messages.append(message) }
        } else {
            issues.append((key, [message]))
        }
    }

    /// The messages recorded at `path`, for tests and clients.
    public func messages(at path: String) -> [String] {
        issues.first { $0.path == path }?.messages ?? []
    }

    public var description: String {
        let count = issues.count
        return "The request body is invalid: \(count) field\(count == 1 ? "" : "s") failed validation"
    }

    public static func == (lhs: ValidationError, rhs: ValidationError) -> Bool {
        lhs.issues.count == rhs.issues.count && zip(lhs.issues, rhs.issues).allSatisfy { $0.path == $1.path && $0.messages == $1.messages }
    }
}
