/// The body of `POST .../secrets/{id}/rollback`: `{"version": N}`, N a positive integer.
public struct RollbackTarget: Sendable, Hashable {
    public var version: Int

    public init(version: Int) {
        self.version = version
    }

    public init(validating body: JSONValue) throws(ValidationError) {
        var reader = BodyReader(limits: ValidationLimits())
        guard let members = reader.object(body, at: .root, known: ["version"]) else { throw reader.errors }
        let version = reader.required(members["version"], at: JSONPath.root.appending("version")) {
            $0.integer($1, at: $2, range: 1...Int(Int32.max))
        }
        guard reader.errors.isEmpty, let version else { throw reader.errors }
        self.init(version: version)
    }
}

/// The body of `POST /v1/projects/{p}/restore`: `{"asOf": RFC3339, "dryRun": bool}` (`dryRun` defaults to false). The
/// moment is checked against the clock and the project by the caller, which knows both.
public struct ProjectRestoreTarget: Sendable, Hashable {
    public var asOf: Timestamp
    public var dryRun: Bool

    public init(asOf: Timestamp, dryRun: Bool) {
        self.asOf = asOf
        self.dryRun = dryRun
    }

    public init(validating body: JSONValue) throws(ValidationError) {
        var reader = BodyReader(limits: ValidationLimits())
        guard let members = reader.object(body, at: .root, known: ["asOf", "dryRun"]) else { throw reader.errors }
        let asOfPath = JSONPath.root.appending("asOf")
        let asOf = reader.required(members["asOf"], at: asOfPath) { reader, value, path -> Timestamp? in
            guard let text = reader.string(value, at: path) else { return nil }
            guard let timestamp = Timestamp(rfc3339: text) else {
                reader.errors.add("must be an RFC 3339 timestamp such as 2026-11-28T17:00:00.000Z", at: path)
                return nil
            }
            return timestamp
        }
        let dryRun = members["dryRun"].map { reader.boolean($0, at: JSONPath.root.appending("dryRun")) } ?? false
        guard reader.errors.isEmpty, let asOf, let dryRun else { throw reader.errors }
        self.init(asOf: asOf, dryRun: dryRun)
    }
}
