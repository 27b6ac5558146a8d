/// Which workloads a group applies to. An unrestricted group applies to every workload of the project.
public struct Restrictions: Sendable, Hashable, Codable {
    /// A workload named by id and kind.
    public struct Object: Sendable, Hashable, Codable {
        public var id: String
        public var type: WorkloadKind

        public init(id: String, type: WorkloadKind) {
            self.id = id
            self.type = type
        }
    }

    public var restricted: Bool
    public var nfObjects: [Object]
    public var tags: [String]
    public var tagMatchCondition: TagMatchCondition
    public var stageIds: [String]

    public init(
        restricted: Bool = false,
        nfObjects: [Object] = [],
        tags: [String] = [],
        tagMatchCondition: TagMatchCondition = .or,
        stageIds: [String] = []
    ) {
        self.restricted = restricted
        self.nfObjects = nfObjects
        self.tags = tags
        self.tagMatchCondition = tagMatchCondition
        self.stageIds = stageIds
    }
}
