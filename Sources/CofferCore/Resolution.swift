/// Where a value in a workload's effective configuration comes from.
public struct ValueSource: Sendable, Hashable {
    /// The group it is inherited from; nil for the workload's own value.
    public var inheritedFrom: String?
    /// The addon it is linked from, for addon keys and their aliases.
    public var addonId: String?
    /// The group's priority; nil for the workload's own value.
    public var priority: Int?

    public static let workload = ValueSource(inheritedFrom: nil, addonId: nil, priority: nil)

    public init(inheritedFrom: String?, addonId: String?, priority: Int?) {
        self.inheritedFrom = inheritedFrom
        self.addonId = addonId
        self.priority = priority
    }
}

/// One key of a resolution: the value that won, where it came from, and every value it shadows (best first).
public struct ResolvedEntry<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var source: ValueSource
    public var overriding: [Overridden]

    /// A value that lost to the winner.
    public struct Overridden: Sendable, Hashable {
        public var value: Value
        public var source: ValueSource
    }
}

/// A workload's effective configuration for one phase, with the explanation of every key.
public struct Resolution: Sendable, Hashable {
    public var phase: Phase
    public var variables: [String: ResolvedEntry<String>] = [:]
    public var files: [String: ResolvedEntry<SecretFile>] = [:]
    /// Build phase only.
    public var dockerSecretMounts: [String: ResolvedEntry<SecretFile>] = [:]
    public var warnings: [String] = []

    public init(phase: Phase) {
        self.phase = phase
    }

    /// The winning variables.
    public var environment: [String: String] { variables.mapValues(\.value) }
    public var fileValues: [String: SecretFile] { files.mapValues(\.value) }
    public var dockerSecretMountValues: [String: SecretFile] { dockerSecretMounts.mapValues(\.value) }

    /// The same resolution with `${NAME}` templates substituted in variables and text files (and mounts), and a
    /// warning for every reference left as written.
    public func substitutingTemplates() -> Resolution {
        var next = self
        let (values, warnings, cyclic) = Template.substitute(environment)
        for (name, value) in values { next.variables[name]?.value = value }
        next.warnings += warnings
        for (path, entry) in files.sorted(by: { $0.key < $1.key }) {
            let (file, fileWarnings) = entry.value.substituted(from: values, cyclic: cyclic, path: path)
            next.files[path]?.value = file
            next.warnings += fileWarnings
        }
        for (name, entry) in dockerSecretMounts.sorted(by: { $0.key < $1.key }) {
            let (file, mountWarnings) = entry.value.substituted(from: values, cyclic: cyclic, path: name)
            next.dockerSecretMounts[name]?.value = file
            next.warnings += mountWarnings
        }
        return next
    }
}
