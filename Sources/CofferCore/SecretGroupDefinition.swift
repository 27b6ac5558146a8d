/// Everything a client defines about a secret group: the body of a PUT or create, with defaults filled in.
/// Two equal definitions mean a PUT changes nothing.
public struct SecretGroupDefinition: Sendable, Hashable {
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

    public init(
        name: String,
        description: String? = nil,
        type: GroupType = .secret,
        secretType: SecretType,
        priority: Int,
        tags: [String] = [],
        stageId: String? = nil,
        restrictions: Restrictions = Restrictions(),
        addonDependencies: [AddonDependency] = [],
        externalAddonDependencies: [AddonDependency] = [],
        secrets: SecretValues = SecretValues()
    ) {
        self.name = name
        self.description = description
        self.type = type
        self.secretType = secretType
        self.priority = priority
        self.tags = tags
        self.stageId = stageId
        self.restrictions = restrictions
        self.addonDependencies = addonDependencies
        self.externalAddonDependencies = externalAddonDependencies
        self.secrets = secrets
    }

    /// The identifier this definition's name derives to.
    public var id: String { Identifier.derived(fromName: name) }
}
