import CofferCore

/// A secret group on the wire (`PUT`, `GET /secrets/{id}`): its definition, identity and timestamps, values included.
public struct SecretGroupResource: Codable, Sendable, Equatable {
    public var id: String
    public var projectId: String
    public var name: String
    public var description: String?
    public var type: GroupType
    public var secretType: SecretType
    public var priority: Int
    public var tags: [String]
    public var stageId: String?
    public var restrictions: Restrictions
    public var addonDependencies: [AddonDependency]
    public var externalAddonDependencies: [AddonDependency]
    public var secrets: SecretValues
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// The group as stored.
    public init(_ group: SecretGroup) {
        self.init(group, secrets: group.definition.secrets)
    }

    /// The group showing `secrets` in place of its own values (for `show=inherited|all`).
    public init(_ group: SecretGroup, secrets: SecretValues) {
        let definition = group.definition
        id = group.id
        projectId = group.projectId
        name = definition.name
        description = definition.description
        type = definition.type
        secretType = definition.secretType
        priority = definition.priority
        tags = definition.tags
        stageId = definition.stageId
        restrictions = definition.restrictions
        addonDependencies = definition.addonDependencies
        externalAddonDependencies = definition.externalAddonDependencies
        self.secrets = secrets
        createdAt = group.createdAt
        updatedAt = group.updatedAt
    }
}
