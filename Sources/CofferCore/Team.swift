/// A team: owns projects and tokens.
public struct Team: Sendable, Hashable {
    public var id: String
    public var name: String
    public var createdAt: Timestamp

    public init(id: String, name: String, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    /// The team a fresh store is bootstrapped with.
    public static let defaultTeamID = "default"
}
