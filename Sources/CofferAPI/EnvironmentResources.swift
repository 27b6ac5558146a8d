import CofferCore

/// `GET .../runtime-environment` (`runtimeEnvironment`, `runtimeFiles`) and `GET .../build-arguments`
/// (`buildArguments`, `buildFiles`, `dockerSecretMounts`).
public struct EffectiveValues: Codable, Sendable, Equatable {
    public var phase: Phase
    public var variables: [String: String]
    public var files: [String: SecretFile]
    public var dockerSecretMounts: [String: SecretFile]

    public init(_ resolution: Resolution) {
        phase = resolution.phase
        variables = resolution.environment
        files = resolution.fileValues
        dockerSecretMounts = resolution.dockerSecretMountValues
    }

    enum CodingKeys: String, CodingKey {
        case runtimeEnvironment, runtimeFiles, buildArguments, buildFiles, dockerSecretMounts
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if phase == .runtime {
            try container.encode(variables, forKey: .runtimeEnvironment)
            try container.encode(files, forKey: .runtimeFiles)
        } else {
            try container.encode(variables, forKey: .buildArguments)
            try container.encode(files, forKey: .buildFiles)
            try container.encode(dockerSecretMounts, forKey: .dockerSecretMounts)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let variables = try container.decodeIfPresent([String: String].self, forKey: .runtimeEnvironment) {
            phase = .runtime
            self.variables = variables
            files = try container.decodeIfPresent([String: SecretFile].self, forKey: .runtimeFiles) ?? [:]
            dockerSecretMounts = [:]
        } else {
            phase = .build
            variables = try container.decode([String: String].self, forKey: .buildArguments)
            files = try container.decodeIfPresent([String: SecretFile].self, forKey: .buildFiles) ?? [:]
            dockerSecretMounts = try container.decodeIfPresent([String: SecretFile].self, forKey: .dockerSecretMounts) ?? [:]
        }
    }
}

/// One explained key: the winner, where it came from, and every value it shadows.
public struct ExplainedValue<Value: Codable & Sendable & Hashable>: Codable, Sendable, Equatable {
    /// A shadowed value and its source.
    public struct Overridden: Codable, Sendable, Equatable {
        public var value: Value
        public var inheritedFrom: String?
        public var addonId: String?
        public var priority: Int?
    }

    public var value: Value
    public var inheritedFrom: String?
    public var addonId: String?
    public var priority: Int?
    public var overriding: [Overridden]

    public init(_ entry: ResolvedEntry<Value>) {
        value = entry.value
        inheritedFrom = entry.source.inheritedFrom
        addonId = entry.source.addonId
        priority = entry.source.priority
        overriding = entry.overriding.map {
            Overridden(value: $0.value, inheritedFrom: $0.source.inheritedFrom, addonId: $0.source.addonId, priority: $0.source.priority)
        }
    }
}

/// `GET .../runtime-environment/details` and `.../build-arguments/details`: every key explained, plus warnings.
public struct EffectiveValuesDetails: Codable, Sendable, Equatable {
    public var phase: Phase
    public var variables: [String: ExplainedValue<String>]
    public var files: [String: ExplainedValue<SecretFile>]
    public var dockerSecretMounts: [String: ExplainedValue<SecretFile>]
    public var warnings: [String]

    public init(_ resolution: Resolution) {
        phase = resolution.phase
        variables = resolution.variables.mapValues(ExplainedValue.init)
        files = resolution.files.mapValues(ExplainedValue.init)
        dockerSecretMounts = resolution.dockerSecretMounts.mapValues(ExplainedValue.init)
        warnings = resolution.warnings
    }

    enum CodingKeys: String, CodingKey {
        case runtimeEnvironment, runtimeFiles, buildArguments, buildFiles, dockerSecretMounts, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variables, forKey: phase == .runtime ? .runtimeEnvironment : .buildArguments)
        try container.encode(files, forKey: phase == .runtime ? .runtimeFiles : .buildFiles)
        if phase == .build { try container.encode(dockerSecretMounts, forKey: .dockerSecretMounts) }
        try container.encode(warnings, forKey: .warnings)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phase = container.contains(.runtimeEnvironment) ? .runtime : .build
        variables = try container.decode([String: ExplainedValue<String>].self, forKey: phase == .runtime ? .runtimeEnvironment : .buildArguments)
        files =
            try container.decodeIfPresent([String: ExplainedValue<SecretFile>].self, forKey: phase == .runtime ? .runtimeFiles : .buildFiles) ?? [:]
        dockerSecretMounts = try container.decodeIfPresent([String: ExplainedValue<SecretFile>].self, forKey: .dockerSecretMounts) ?? [:]
        warnings = try container.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }
}
