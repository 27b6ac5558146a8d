import CofferCore

/// An addon on the wire, credentials included (`GET /addons/{id}`, create, patch).
public struct AddonResource: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: String
    public var version: String?
    public var credentials: [String: String]
    public var availableKeys: [String]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(_ addon: Addon) {
        id = addon.id
        name = addon.definition.name
        type = addon.definition.type
        version = addon.definition.version
        credentials = addon.definition.credentials
        availableKeys = addon.availableKeys
        createdAt = addon.createdAt
        updatedAt = addon.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, version, credentials, availableKeys, createdAt, updatedAt
    }

    /// Credentials become `null` when the encoder withholds values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encode(values: credentials, forKey: .credentials, withholding: encoder.withholdsValues)
        try container.encode(availableKeys, forKey: .availableKeys)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// An addon in a list: no credentials, only the names of its keys.
public struct AddonSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: String
    public var version: String?
    public var availableKeys: [String]

    public init(_ addon: Addon) {
        id = addon.id
        name = addon.definition.name
        type = addon.definition.type
        version = addon.definition.version
        availableKeys = addon.availableKeys
    }
}

/// `GET /addons` (`{"addons": [...]}`) and `GET /external-addons` (`{"externalAddons": [...]}`, as the reference
/// clients read it).
public struct AddonList: Codable, Sendable, Equatable {
    public var kind: AddonKind
    public var addons: [AddonSummary]

    public init(kind: AddonKind, addons: [AddonSummary]) {
        self.kind = kind
        self.addons = addons
    }

    enum CodingKeys: String, CodingKey {
        case addons
        case externalAddons
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(addons, forKey: kind == .addon ? .addons : .externalAddons)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let addons = try container.decodeIfPresent([AddonSummary].self, forKey: .addons) {
            self.init(kind: .addon, addons: addons)
        } else {
            self.init(kind: .external, addons: try container.decode([AddonSummary].self, forKey: .externalAddons))
        }
    }
}

/// `GET /addons/{id}/credentials`, in the reference API's shape: Coffer keeps every credential secret, so all of them
/// are under `secrets` and `envs` is empty.
public struct AddonCredentials: Codable, Sendable, Equatable {
    public var envs: [String: String]
    public var secrets: [String: String]

    public init(_ addon: Addon) {
        envs = [:]
        secrets = addon.definition.credentials
    }
}

/// A linked key with the name it surfaces under by default.
public struct LinkedKey: Codable, Sendable, Equatable {
    public var keyName: String
    public var aliases: [String]
    public var defaultKey: String

    public init(addonId: String, key: AddonDependency.Key) {
        keyName = key.keyName
        aliases = key.aliases
        defaultKey = Addon.defaultKey(addonId: addonId, keyName: key.keyName)
    }
}

/// `POST /secrets/{id}/addons/{addonId}`: the link's keys after the change.
public struct LinkedKeys: Codable, Sendable, Equatable {
    public var keys: [LinkedKey]

    public init(keys: [LinkedKey]) {
        self.keys = keys
    }
}

/// `GET /secrets/{id}/addons/{addonId}`: whether and how a group links an addon, and what it could link.
public struct AddonLinkResource: Codable, Sendable, Equatable {
    public var secretId: String
    public var secretName: String
    public var addonId: String
    public var addonName: String
    public var addonType: String
    public var linked: Bool
    public var linkedKeys: [LinkedKey]?
    public var availableKeys: [String]

    public init(group: SecretGroup, addon: Addon) {
        secretId = group.id
        secretName = group.definition.name
        addonId = addon.id
        addonName = addon.definition.name
        addonType = addon.definition.type
        let dependency = group.definition.addonDependencies.first { $0.addonId == addon.id }
        linked = dependency != nil
        linkedKeys = dependency.map { $0.keys.map { LinkedKey(addonId: addon.id, key: $0) } }
        availableKeys = addon.availableKeys
    }
}
