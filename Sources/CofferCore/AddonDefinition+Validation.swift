extension AddonDefinition {
    static let members: Set<String> = ["name", "type", "version", "credentials"]
    static let readOnlyMembers: Set<String> = ["id", "createdAt", "updatedAt", "availableKeys"]

    /// Validates an addon create body: `name` and `type` required, credentials as group variables are.
    public init(validating body: JSONValue, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) {
        var reader = BodyReader(limits: limits)
        guard let members = reader.object(body, at: .root, known: Self.members, ignored: Self.readOnlyMembers) else { throw reader.errors }
        let name = reader.required(members["name"], at: JSONPath.root.appending("name")) {
            $0.string($1, at: $2, length: 3...100, pattern: .groupName)
        }
        let type = reader.required(members["type"], at: JSONPath.root.appending("type"), read: BodyReader.addonType)
        let version = members["version"].flatMap { $0 == .null ? nil : BodyReader.addonVersion(&reader, $0, JSONPath.root.appending("version")) }
        let credentials = members["credentials"].map { reader.variables($0, at: JSONPath.root.appending("credentials")) } ?? [:]
        guard reader.errors.isEmpty, let name, let type, let credentials else { throw reader.errors }
        self.init(name: name, type: type, version: version, credentials: credentials)
    }

    /// Applies a PATCH body: `type`, `version` and `credentials` replace the stored ones; `name` cannot change.
    public func patched(with body: JSONValue, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) -> AddonDefinition {
        var reader = BodyReader(limits: limits)
        guard let members = reader.object(body, at: .root, known: Self.members, ignored: Self.readOnlyMembers) else { throw reader.errors }
        var next = self
        if members["name"] != nil {
            reader.errors.add("cannot be changed; the name is the addon's identity", at: JSONPath.root.appending("name"))
        }
        if let value = members["type"], let type = BodyReader.addonType(&reader, value, JSONPath.root.appending("type")) { next.type = type }
        if let value = members["version"] {
            next.version = value == .null ? nil : BodyReader.addonVersion(&reader, value, JSONPath.root.appending("version"))
        }
        if let value = members["credentials"], let credentials = reader.variables(value, at: JSONPath.root.appending("credentials")) {
            next.credentials = credentials
        }
        guard reader.errors.isEmpty else { throw reader.errors }
        return next
    }
}

extension BodyReader {
    /// An addon type (`postgresql`, `redis`, `s3`, `cloudSql`...): letters, digits and hyphens, starting with a letter.
    static func addonType(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> String? {
        guard let text = reader.string(value, at: path, length: 1...50, pattern: .objectIdentifier) else { return nil }
        guard text.unicodeScalars.first?.isASCIILetter == true else {
            reader.errors.add("must start with a letter", at: path)
            return nil
        }
        return text
    }

    static func addonVersion(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> String? {
        reader.string(value, at: path, length: 1...50, pattern: .alias)
    }
}
