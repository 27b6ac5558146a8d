import CofferCore

/// A service or job on the wire, its own values included.
public struct WorkloadResource: Codable, Sendable, Equatable {
    public var id: String
    public var projectId: String
    public var name: String
    public var tags: [String]
    public var stageId: String?
    public var runtimeEnvironment: [String: String]
    public var runtimeFiles: [String: SecretFile]
    public var buildArguments: [String: String]
    public var buildFiles: [String: SecretFile]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(_ workload: Workload, projectId: String) {
        id = workload.id
        self.projectId = projectId
        name = workload.definition.name
        tags = workload.definition.tags
        stageId = workload.definition.stageId
        runtimeEnvironment = workload.definition.values.runtimeEnvironment
        runtimeFiles = workload.definition.values.runtimeFiles
        buildArguments = workload.definition.values.buildArguments
        buildFiles = workload.definition.values.buildFiles
        createdAt = workload.createdAt
        updatedAt = workload.updatedAt
    }
}

/// A workload in a list: no values.
public struct WorkloadSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var tags: [String]
    public var stageId: String?

    public init(_ workload: Workload) {
        id = workload.id
        name = workload.definition.name
        tags = workload.definition.tags
        stageId = workload.definition.stageId
    }
}

/// `GET /services` (`{"services": [...]}`) and `GET /jobs` (`{"jobs": [...]}`).
public struct WorkloadList: Codable, Sendable, Equatable {
    public var kind: WorkloadKind
    public var workloads: [WorkloadSummary]

    public init(kind: WorkloadKind, workloads: [WorkloadSummary]) {
        self.kind = kind
        self.workloads = workloads
    }

    enum CodingKeys: String, CodingKey {
        case services
        case jobs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(workloads, forKey: kind == .service ? .services : .jobs)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let services = try container.decodeIfPresent([WorkloadSummary].self, forKey: .services) {
            self.init(kind: .service, workloads: services)
        } else {
            self.init(kind: .job, workloads: try container.decode([WorkloadSummary].self, forKey: .jobs))
        }
    }
}
