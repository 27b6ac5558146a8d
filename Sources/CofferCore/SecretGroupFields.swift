/// A member that may be set to a value or explicitly to `null` (which clears it in a partial update).
public enum Nullable<Value: Sendable & Hashable>: Sendable, Hashable {
    case null
    case value(Value)

    public var value: Value? {
        if case .value(let value) = self { value } else { nil }
    }
}

/// The members present in a secret-group body, each validated; an absent member is `nil`.
/// Full writes (create, PUT) and partial ones (PATCH) are both built from this.
public struct SecretGroupFields: Sendable, Hashable {
    public var name: String?
    public var description: Nullable<String>?
    public var type: GroupType?
    public var secretType: SecretType?
    public var priority: Int?
    public var tags: [String]?
    public var stageId: Nullable<String>?
    public var restrictions: Restrictions?
    public var addonDependencies: [AddonDependency]?
    public var externalAddonDependencies: [AddonDependency]?
    /// Each present sub-map of `secrets`.
    public var variables: [String: String]?
    public var files: [String: SecretFile]?
    public var dockerSecretMounts: [String: SecretFile]?

    public init() {}

    /// Members a client may write.
    public static let writableMembers: Set<String> = [
        "name", "description", "type", "secretType", "priority", "tags", "stageId", "restrictions",
        "addonDependencies", "externalAddonDependencies", "secrets",
    ]

    /// Read-only members a client may echo back from a response; they are ignored.
    public static let readOnlyMembers: Set<String> = ["id", "projectId", "createdAt", "updatedAt"]
}
