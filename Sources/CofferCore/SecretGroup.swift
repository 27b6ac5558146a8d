/// A stored secret group: a definition plus the identity and history the server keeps for it.
public struct SecretGroup: Sendable, Hashable {
    public var projectId: String
    public var definition: SecretGroupDefinition
    /// Starts at 1 and grows by one with every change; the `ETag` of the group.
    public var version: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(projectId: String, definition: SecretGroupDefinition, version: Int, createdAt: Timestamp, updatedAt: Timestamp) {
        self.projectId = projectId
        self.definition = definition
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var id: String { definition.id }
}

/// What a create-or-update did.
public enum WriteOutcome: String, Sendable, Hashable {
    case created
    case updated
    /// The stored group already had this definition: nothing was written.
    case unchanged
}
