import CofferCore

/// One version in `GET .../secrets/{id}/versions`: who changed what and when, never a value.
public struct GroupVersionResource: Codable, Sendable, Equatable {
    public var version: Int
    public var at: Timestamp
    public var actor: String
    public var action: GroupVersionAction
    public var changedKeys: [String]
    public var changedFields: [String]
    /// Whether this is the group's current version.
    public var current: Bool

    public init(_ info: GroupVersionInfo, current: Bool) {
        version = info.version
        at = info.at
        actor = info.actor
        action = info.action
        changedKeys = info.changedKeys
        changedFields = info.changedFields
        self.current = current
    }
}

/// `{"versions": [...]}`, newest first.
public struct GroupVersionList: Codable, Sendable, Equatable {
    public var versions: [GroupVersionResource]

    public init(versions: [GroupVersionResource]) {
        self.versions = versions
    }
}

/// `GET .../secrets/{id}/versions/{n}`: the group as it was at that version, in the shape of `GET .../secrets/{id}`,
/// plus `version`.
public struct SecretGroupVersionResource: Codable, Sendable, Equatable {
    public var group: SecretGroupResource
    public var version: Int

    public init(group: SecretGroupResource, version: Int) {
        self.group = group
        self.version = version
    }

    private enum CodingKeys: String, CodingKey {
        case version
    }

    public init(from decoder: any Decoder) throws {
        group = try SecretGroupResource(from: decoder)
        version = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .version)
    }

    public func encode(to encoder: any Encoder) throws {
        try group.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
    }
}

/// What differs between two versions of a group (`GET .../secrets/{id}/diff`): key names, or with `showValues` each
/// entry with its value before and after.
public struct GroupDiffResource: Codable, Sendable, Equatable {
    public var from: Int
    public var to: Int
    public var variables: KeyChanges
    public var files: KeyChanges
    public var dockerSecretMounts: KeyChanges
    /// The top-level fields other than `secrets` that differ.
    public var fields: [String]

    public init(from: Int, to: Int, variables: KeyChanges, files: KeyChanges, dockerSecretMounts: KeyChanges, fields: [String]) {
        self.from = from
        self.to = to
        self.variables = variables
        self.files = files
        self.dockerSecretMounts = dockerSecretMounts
        self.fields = fields
    }

    /// Keys added, removed and changed, each list ordered by key.
    public struct KeyChanges: Codable, Sendable, Equatable {
        public var added: [Entry]
        public var removed: [Entry]
        public var changed: [Entry]

        public init(added: [Entry] = [], removed: [Entry] = [], changed: [Entry] = []) {
            self.added = added
            self.removed = removed
            self.changed = changed
        }

        /// How `old` became `new`: names only, or with `showValues` each key with its values (`null` where absent).
        public static func between<Value: Equatable>(
            _ old: [String: Value],
            _ new: [String: Value],
            showValues: Bool,
            value: (Value) -> DiffValue
        ) -> KeyChanges {
            func entry(_ key: String) -> Entry {
                showValues ? .values(key: key, from: old[key].map(value), to: new[key].map(value)) : .name(key)
            }
            return KeyChanges(
                added: new.keys.filter { old[$0] == nil }.sorted().map(entry),
                removed: old.keys.filter { new[$0] == nil }.sorted().map(entry),
                changed: new.keys.filter { old[$0] != nil && old[$0] != new[$0] }.sorted().map(entry)
            )
        }
    }

    /// A key's name, or `{key, from, to}`.
    public enum Entry: Codable, Sendable, Equatable {
        case name(String)
        case values(key: String, from: DiffValue?, to: DiffValue?)

        private enum CodingKeys: String, CodingKey {
            case key, from, to
        }

        public var key: String {
            switch self {
            case .name(let key), .values(let key, _, _): key
            }
        }

        public init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self = .name(name)
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self = .values(
                key: try container.decode(String.self, forKey: .key),
                from: try container.decodeIfPresent(DiffValue.self, forKey: .from),
                to: try container.decodeIfPresent(DiffValue.self, forKey: .to)
            )
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .name(let name):
                var container = encoder.singleValueContainer()
                try container.encode(name)
            case .values(let key, let from, let to):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(key, forKey: .key)
                try container.encode(from, forKey: .from)
                try container.encode(to, forKey: .to)
            }
        }
    }

    /// A variable's text, or a file's or mount's `{data, encoding}`.
    public enum DiffValue: Codable, Sendable, Equatable {
        case text(String)
        case file(SecretFile)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .file(try container.decode(SecretFile.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .file(let file): try container.encode(file)
            }
        }
    }
}

extension GroupDiffResource {
    /// The difference between two versions' definitions (nil: the group did not exist, or the version deleted it).
    public init(from: Int, to: Int, old: SecretGroupDefinition?, new: SecretGroupDefinition?, showValues: Bool) {
        let before = old?.secrets ?? SecretValues()
        let after = new?.secrets ?? SecretValues()
        self.init(
            from: from,
            to: to,
            variables: .between(before.variables, after.variables, showValues: showValues) { .text($0) },
            files: .between(before.files, after.files, showValues: showValues) { .file($0) },
            dockerSecretMounts: .between(before.dockerSecretMounts, after.dockerSecretMounts, showValues: showValues) { .file($0) },
            fields: old.flatMap { old in new.map { ChangedKeys.fields(old, $0) } } ?? []
        )
    }
}

/// `POST .../secrets/{id}/rollback`'s body.
public struct RollbackRequest: Codable, Sendable, Equatable {
    public var version: Int

    public init(version: Int) {
        self.version = version
    }
}

/// `POST /v1/projects/{p}/restore`'s body.
public struct ProjectRestoreRequest: Codable, Sendable, Equatable {
    public var asOf: Timestamp
    public var dryRun: Bool?

    public init(asOf: Timestamp, dryRun: Bool? = nil) {
        self.asOf = asOf
        self.dryRun = dryRun
    }
}

/// What a project restore did, or in a dry run would do: one entry per group that changes, ordered by id.
public struct ProjectRestoreResource: Codable, Sendable, Equatable {
    public var asOf: Timestamp
    public var dryRun: Bool
    public var groups: [Step]

    public struct Step: Codable, Sendable, Equatable {
        public var secretId: String
        /// `restore` (deleted since, comes back), `rollback` (changed since, goes back) or `delete` (created since).
        public var action: GroupRestoreStep.Action
        public var fromVersion: Int?
        public var asOfVersion: Int?
        /// The version the change records (in a dry run, would record).
        public var version: Int
        public var changedKeys: [String]
        public var changedFields: [String]
    }

    public init(_ plan: ProjectRestorePlan) {
        asOf = plan.asOf
        dryRun = plan.dryRun
        groups = plan.steps.map {
            Step(
                secretId: $0.secretId, action: $0.action, fromVersion: $0.fromVersion, asOfVersion: $0.asOfVersion, version: $0.version,
                changedKeys: $0.changedKeys, changedFields: $0.changedFields
            )
        }
    }
}
