extension WorkloadDefinition {
    static let members: Set<String> = ["name", "tags", "stageId", "runtimeEnvironment", "runtimeFiles", "buildArguments", "buildFiles"]
    static let readOnlyMembers: Set<String> = ["id", "projectId", "createdAt", "updatedAt"]

    /// Validates a service or job create body: `name` required, the rest as for groups.
    public init(validating body: JSONValue, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) {
        var reader = BodyReader(limits: limits)
        guard let members = reader.object(body, at: .root, known: Self.members, ignored: Self.readOnlyMembers) else { throw reader.errors }
        let name = reader.required(members["name"], at: JSONPath.root.appending("name")) {
            $0.string($1, at: $2, length: 3...100, pattern: .groupName)
        }
        var next = WorkloadDefinition(name: name ?? "")
        next.apply(members, reader: &reader)
        guard reader.errors.isEmpty, name != nil else { throw reader.errors }
        self = next
    }

    /// Applies a PATCH body: present members replace the stored ones; `name` cannot change; `stageId: null` clears.
    public func patched(with body: JSONValue, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) -> WorkloadDefinition {
        var reader = BodyReader(limits: limits)
        guard let members = reader.object(body, at: .root, known: Self.members, ignored: Self.readOnlyMembers) else { throw reader.errors }
        if members["name"] != nil {
            reader.errors.add("cannot be changed; the name is the workload's identity", at: JSONPath.root.appending("name"))
        }
        var next = self
        next.apply(members, reader: &reader)
        guard reader.errors.isEmpty else { throw reader.errors }
        return next
    }

    /// Sets the phase's own values from `POST .../runtime-environment` (`runtimeEnvironment` required,
    /// `runtimeFiles` optional) or `POST .../build-arguments` (`buildArguments`, `buildFiles`).
    public func settingOwnValues(
        of phase: Phase,
        from body: JSONValue,
        limits: ValidationLimits = ValidationLimits()
    ) throws(ValidationError)
        -> WorkloadDefinition
    {
        var reader = BodyReader(limits: limits)
        let (variablesMember, filesMember) = phase == .runtime ? ("runtimeEnvironment", "runtimeFiles") : ("buildArguments", "buildFiles")
        guard let members = reader.object(body, at: .root, known: [variablesMember, filesMember]) else { throw reader.errors }
        guard members[variablesMember] != nil else {
            reader.errors.add("is required", at: JSONPath.root.appending(variablesMember))
            throw reader.errors
        }
        var next = self
        next.apply(members, reader: &reader)
        guard reader.errors.isEmpty else { throw reader.errors }
        return next
    }

    mutating func apply(_ members: BodyReader.Members, reader: inout BodyReader) {
        func path(_ name: String) -> JSONPath { JSONPath.root.appending(name) }
        if let value = members["tags"], let tags = reader.array(value, at: path("tags"), element: BodyReader.slug) { self.tags = tags }
        if let value = members["stageId"] {
            if value == .null {
                stageId = nil
            } else if let stage = BodyReader.slug(&reader, value, path("stageId")) {
                stageId = stage
            }
        }
        if let value = members["runtimeEnvironment"], let variables = reader.variables(value, at: path("runtimeEnvironment")) {
            values.runtimeEnvironment = variables
        }
        if let value = members["buildArguments"], let variables = reader.variables(value, at: path("buildArguments")) {
            values.buildArguments = variables
        }
        if let value = members["runtimeFiles"], let files = reader.fileMap(value, at: path("runtimeFiles"), checkName: { $0.filePath($1, at: $2) }) {
            values.runtimeFiles = files
        }
        if let value = members["buildFiles"], let files = reader.fileMap(value, at: path("buildFiles"), checkName: { $0.filePath($1, at: $2) }) {
            values.buildFiles = files
        }
    }
}
