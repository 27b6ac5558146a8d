/// Whether an addon is a Coffer-registered backing service or an external cloud resource; each has its own routes
/// and its own id space, and groups link them through different dependency lists.
public enum AddonKind: String, Sendable, Hashable, CaseIterable {
    case addon
    case external

    /// How messages name this kind ("Addon 'x' not found").
    public var displayName: String { self == .addon ? "Addon" : "External addon" }
}

/// A backing service whose connection details live in Coffer; its credential keys are its available keys.
public struct Addon: Sendable, Hashable {
    public var kind: AddonKind
    public var definition: AddonDefinition
    public var version: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(kind: AddonKind, definition: AddonDefinition, version: Int, createdAt: Timestamp, updatedAt: Timestamp) {
        self.kind = kind
        self.definition = definition
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var id: String { definition.id }

    /// The credential keys, sorted: what a group can link.
    public var availableKeys: [String] { definition.credentials.keys.sorted() }

    /// The name a linked key surfaces under: `NF_<ADDON-ID uppercased>_<keyName>` (`NF_EXAMPLE-ADDON_USERNAME`).
    public static func defaultKey(addonId: String, keyName: String) -> String {
        "NF_\(addonId.uppercased())_\(keyName)"
    }
}

/// What a client defines about an addon: name (the id derives from it), type, version and credentials.
public struct AddonDefinition: Sendable, Hashable {
    public var name: String
    public var type: String
    public var version: String?
    public var credentials: [String: String]

    public init(name: String, type: String, version: String? = nil, credentials: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.version = version
        self.credentials = credentials
    }

    public var id: String { Identifier.derived(fromName: name) }
}
