/// A group as lists show it: identity and metadata, never values.
public struct SecretGroupSummary: Sendable, Hashable, Codable {
    public var id: String
    public var projectId: String
    public var name: String
    public var description: String?
    public var tags: [String]
    public var type: GroupType
    public var secretType: SecretType
    public var priority: Int
    public var restrictions: Restrictions

    public init(_ group: SecretGroup) {
        self.init(projectId: group.projectId, definition: group.definition)
    }

    public init(projectId: String, definition: SecretGroupDefinition) {
        id = definition.id
        self.projectId = projectId
        name = definition.name
        description = definition.description
        tags = definition.tags
        type = definition.type
        secretType = definition.secretType
        priority = definition.priority
        restrictions = definition.restrictions
    }
}
