/// The body of `POST /v1/projects`: a name (the id derives from it) and an optional description.
public struct ProjectDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?

    public init(name: String, description: String? = nil) {
        self.name = name
        self.description = description
    }

    public var id: String { Identifier.derived(fromName: name) }

    /// Validates a project body with the same name and description rules as a secret group.
    public init(validating body: JSONValue) throws(ValidationError) {
        var reader = BodyReader(limits: ValidationLimits())
        guard let members = reader.object(body, at: .root, known: ["name", "description"], ignored: ["id", "createdAt"]) else {
            throw reader.errors
        }
        let name = reader.required(members["name"], at: JSONPath.root.appending("name")) {
            $0.string($1, at: $2, length: 3...100, pattern: .groupName)
        }
        var description: String?
        if let value = members["description"], value != .null {
            description = reader.string(value, at: JSONPath.root.appending("description"), length: 0...200, pattern: .description)
        }
        guard reader.errors.isEmpty, let name else { throw reader.errors }
        self.init(name: name, description: description)
    }
}
