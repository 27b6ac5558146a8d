/// A project: the scope that owns secret groups, addons and workloads.
public struct Project: Sendable, Hashable {
    public var id: String
    public var teamId: String
    public var name: String
    public var description: String?
    public var createdAt: Timestamp

    public init(id: String, teamId: String, name: String, description: String? = nil, createdAt: Timestamp) {
        self.id = id
        self.teamId = teamId
        self.name = name
        self.description = description
        self.createdAt = createdAt
    }
}
