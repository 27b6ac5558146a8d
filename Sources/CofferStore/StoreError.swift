import CofferCore

/// A storage failure a caller can act on. Messages name identifiers only, never values.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public static let projectNotFound = Code(name: "projectNotFound")
        public static let alreadyExists = Code(name: "alreadyExists")
        public static let masterKeyMismatch = Code(name: "masterKeyMismatch")
        public static let corrupted = Code(name: "corrupted")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func projectNotFound(_ scope: ProjectScope) -> StoreError {
        StoreError(.projectNotFound, "Project '\(scope.projectId)' not found")
    }
}

extension StoreError {
    static func projectExists(_ id: String) -> StoreError {
        StoreError(.alreadyExists, "There is already a project with the same derived identifier '\(id)'")
    }
}
