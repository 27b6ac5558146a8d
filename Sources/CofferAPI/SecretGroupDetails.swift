import CofferCore

/// `GET /secrets/{id}/details`: the group, the values each linked addon contributes, and why a link contributes nothing.
public struct SecretGroupDetails: Codable, Sendable, Equatable {
    /// One linked addon and its linked keys under their default names.
    public struct AddonSecret: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var addonType: String
        public var version: String?
        public var variables: [String: String]

        public init(id: String, name: String, addonType: String, version: String?, variables: [String: String]) {
            self.id = id
            self.name = name
            self.addonType = addonType
            self.version = version
            self.variables = variables
        }

        enum CodingKeys: String, CodingKey {
            case id, name, addonType, version, variables
        }

        /// Variables become `null` when the encoder withholds values.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(addonType, forKey: .addonType)
            try container.encodeIfPresent(version, forKey: .version)
            try container.encode(values: variables, forKey: .variables, withholding: encoder.withholdsValues)
        }
    }

    public var group: SecretGroupResource
    public var addonSecrets: [AddonSecret]
    public var warnings: [String]

    public init(group: SecretGroupResource, addonSecrets: [AddonSecret], warnings: [String]) {
        self.group = group
        self.addonSecrets = addonSecrets
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case addonSecrets
        case warnings
    }

    /// The group's members and `addonSecrets` and `warnings` side by side in one object.
    public func encode(to encoder: any Encoder) throws {
        try group.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(addonSecrets, forKey: .addonSecrets)
        try container.encode(warnings, forKey: .warnings)
    }

    public init(from decoder: any Decoder) throws {
        group = try SecretGroupResource(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        addonSecrets = try container.decode([AddonSecret].self, forKey: .addonSecrets)
        warnings = try container.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }
}
