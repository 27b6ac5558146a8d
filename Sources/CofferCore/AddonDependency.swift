/// A link from a group to an addon (or external addon) and the keys of it the group passes on.
public struct AddonDependency: Sendable, Hashable, Codable {
    /// One linked key and the extra names it is also exposed under.
    public struct Key: Sendable, Hashable, Codable {
        public var keyName: String
        public var aliases: [String]

        public init(keyName: String, aliases: [String] = []) {
            self.keyName = keyName
            self.aliases = aliases
        }
    }

    public var addonId: String
    public var keys: [Key]

    public init(addonId: String, keys: [Key]) {
        self.addonId = addonId
        self.keys = keys
    }
}
