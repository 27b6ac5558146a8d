/// A service or job whose configuration Coffer is the source of: its tags and stage (which groups apply to it) and
/// its own runtime and build values (which override every group).
public struct Workload: Sendable, Hashable {
    public var kind: WorkloadKind
    public var definition: WorkloadDefinition
    public var version: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(kind: WorkloadKind, definition: WorkloadDefinition, version: Int, createdAt: Timestamp, updatedAt: Timestamp) {
        self.kind = kind
        self.definition = definition
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var id: String { definition.id }

}

/// What a client defines about a workload.
public struct WorkloadDefinition: Sendable, Hashable {
    public var name: String
    public var tags: [String]
    public var stageId: String?
    /// The workload's own values; sealed at rest like group values.
    public var values: WorkloadValues

    public init(name: String, tags: [String] = [], stageId: String? = nil, values: WorkloadValues = WorkloadValues()) {
        self.name = name
        self.tags = tags
        self.stageId = stageId
        self.values = values
    }

    public var id: String { Identifier.derived(fromName: name) }
}

/// A workload's own runtime variables and files and build arguments and files.
public struct WorkloadValues: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var runtimeEnvironment: [String: String]
    public var runtimeFiles: [String: SecretFile]
    public var buildArguments: [String: String]
    public var buildFiles: [String: SecretFile]

    public init(
        runtimeEnvironment: [String: String] = [:],
        runtimeFiles: [String: SecretFile] = [:],
        buildArguments: [String: String] = [:],
        buildFiles: [String: SecretFile] = [:]
    ) {
        self.runtimeEnvironment = runtimeEnvironment
        self.runtimeFiles = runtimeFiles
        self.buildArguments = buildArguments
        self.buildFiles = buildFiles
    }

    /// Redacted: counts only.
    public var description: String {
        "WorkloadValues(\(runtimeEnvironment.count) runtime variables, \(runtimeFiles.count) runtime files, "
            + "\(buildArguments.count) build arguments, \(buildFiles.count) build files)"
    }

    public var debugDescription: String { description }
}
