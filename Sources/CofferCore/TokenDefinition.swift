/// The body of `POST /v1/tokens` (and the flags of `coffer token create`): what a new token may do.
public struct TokenDefinition: Sendable, Hashable {
    public var name: String
    public var role: Role
    /// The projects the token is limited to; nil for every project of the team.
    public var projectIds: [String]?
    /// The one workload a `workload`-role token reads.
    public var workload: WorkloadReference?
    public var expiresAt: Timestamp?

    public init(name: String, role: Role, projectIds: [String]? = nil, workload: WorkloadReference? = nil, expiresAt: Timestamp? = nil) {
        self.name = name
        self.role = role
        self.projectIds = projectIds
        self.workload = workload
        self.expiresAt = expiresAt
    }

    /// The rules that tie the fields together, by JSON path: the `workload` role needs a workload and only it may
    /// have one; a workload token is limited to the workload's project by construction; expiry lies ahead of `now`.
    public func validate(at now: Timestamp) throws(ValidationError) {
        var errors = ValidationError()
        if role == .workload, workload == nil {
            errors.add("is required for the workload role", at: JSONPath.root.appending("workload"))
        }
        if role != .workload, workload != nil {
            errors.add("is allowed only with the workload role", at: JSONPath.root.appending("workload"))
        }
        if workload != nil, projectIds != nil {
            errors.add("cannot be combined with workload, which already limits the token to one project", at: JSONPath.root.appending("projects"))
        }
        if let expiresAt, expiresAt <= now {
            errors.add("must be in the future", at: JSONPath.root.appending("expiresAt"))
        }
        guard errors.isEmpty else { throw errors }
    }
}

extension TokenDefinition {
    static let members: Set<String> = ["name", "role", "projects", "workload", "expiresAt"]

    /// Validates a `POST /v1/tokens` body, reporting every broken rule at once.
    public init(validating body: JSONValue, at now: Timestamp) throws(ValidationError) {
        var reader = BodyReader(limits: ValidationLimits())
        guard let members = reader.object(body, at: .root, known: Self.members) else { throw reader.errors }
        let root = JSONPath.root
        let name = reader.required(members["name"], at: root.appending("name")) {
            $0.string($1, at: $2, length: 3...100, pattern: .groupName)
        }
        let role = reader.required(members["role"], at: root.appending("role")) { reader, value, path -> Role? in
            guard case .string(let text) = value, let role = Role.builtIn[text] else {
                reader.errors.add("must be one of: \(Role.all.map(\.name).joined(separator: ", "))", at: path)
                return nil
            }
            return role
        }
        var projectIds: [String]?
        if let value = members["projects"], value != .null {
            projectIds = reader.array(value, at: root.appending("projects")) { $0.string($1, at: $2, length: 1...100, pattern: .slug) }
            if projectIds?.isEmpty == true { reader.errors.add("must list at least one project", at: root.appending("projects")) }
        }
        var workload: WorkloadReference?
        if let value = members["workload"], value != .null {
            workload = Self.workload(value, at: root.appending("workload"), reader: &reader)
        }
        var expiresAt: Timestamp?
        if let value = members["expiresAt"], value != .null {
            if case .string(let text) = value, let timestamp = Timestamp(rfc3339: text) {
                expiresAt = timestamp
            } else {
                reader.errors.add("must be an RFC 3339 timestamp such as 2026-12-31T00:00:00.000Z", at: root.appending("expiresAt"))
            }
        }
        guard reader.errors.isEmpty, let name, let role else { throw reader.errors }
        self.init(name: name, role: role, projectIds: projectIds, workload: workload, expiresAt: expiresAt)
        try validate(at: now)
    }

    private static func workload(_ value: JSONValue, at path: JSONPath, reader: inout BodyReader) -> WorkloadReference? {
        guard let members = reader.object(value, at: path, known: ["projectId", "kind", "id"]) else { return nil }
        let projectId = reader.required(members["projectId"], at: path.appending("projectId")) {
            $0.string($1, at: $2, length: 1...100, pattern: .slug)
        }
        let kind = reader.required(members["kind"], at: path.appending("kind")) { $0.oneOf($1, at: $2, as: WorkloadKind.self) }
        let id = reader.required(members["id"], at: path.appending("id")) { $0.string($1, at: $2, length: 1...100, pattern: .slug) }
        guard let projectId, let kind, let id else { return nil }
        return WorkloadReference(projectId: projectId, kind: kind, id: id)
    }
}
