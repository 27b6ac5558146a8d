/// Some keys of a resolution: variable names, file paths and Docker secret mount names, and the groups whose link
/// warnings matter.
public struct KeySelection: Sendable, Hashable {
    public var variables: Set<String> = []
    public var files: Set<String> = []
    public var dockerSecretMounts: Set<String> = []
    /// Groups (by id) whose links' warnings a restricted resolution reports when they apply.
    public var linkWarningsOf: Set<String> = []

    public init() {}

    public mutating func formUnion(_ other: KeySelection) {
        variables.formUnion(other.variables)
        files.formUnion(other.files)
        dockerSecretMounts.formUnion(other.dockerSecretMounts)
        linkWarningsOf.formUnion(other.linkWarningsOf)
    }
}

/// Which group offers which of some keys, best group first, with the value it offers: what a resolution restricted to
/// those keys visits instead of every group.
struct KeyIndex: Sendable {
    struct Offer<Value: Sendable & Hashable>: Sendable {
        var group: Int
        var value: Value
        var addonId: String?
    }

    var variables: [String: [Offer<String>]] = [:]
    var files: [String: [Offer<SecretFile>]] = [:]
    var dockerSecretMounts: [String: [Offer<SecretFile>]] = [:]

    /// The offers of `keys` among `resolver`'s groups.
    init(_ resolver: Resolver, ranking: Resolver.Ranking, keys: KeySelection) {
        for index in ranking.order {
            let definition = resolver.groups[index].definition
            for (name, value, addonId) in resolver.offeredVariables(of: definition) where keys.variables.contains(name) {
                variables[name, default: []].append(Offer(group: index, value: value, addonId: addonId))
            }
            for (path, file) in definition.secrets.files where keys.files.contains(path) {
                files[path, default: []].append(Offer(group: index, value: file, addonId: nil))
            }
            for (name, file) in definition.secrets.dockerSecretMounts where keys.dockerSecretMounts.contains(name) {
                dockerSecretMounts[name, default: []].append(Offer(group: index, value: file, addonId: nil))
            }
        }
    }
}

extension Resolver {
    /// Every variable a group offers: its own, and those its links add under names it does not use itself (with the
    /// addon each comes from).
    func offeredVariables(of definition: SecretGroupDefinition) -> [(name: String, value: String, addonId: String?)] {
        guard !definition.addonDependencies.isEmpty || !definition.externalAddonDependencies.isEmpty else {
            return definition.secrets.variables.map { ($0.key, $0.value, nil) }
        }
        let linked = LinkedValues(of: definition, addons: addons, externalAddons: externalAddons)
        return linked.merged(under: definition.secrets.variables).map { name, value in
            (name, value, definition.secrets.variables[name] == nil ? linked.addonIds[name] : nil)
        }
    }

    /// The keys the group with this id offers (its variables, those its links add, its files and mounts); empty for an
    /// id the resolver does not have.
    public func keys(offeredBy id: String) -> KeySelection {
        guard let position = ranking.position[id] else { return KeySelection() }
        let definition = groups[position].definition
        var keys = KeySelection()
        keys.variables = Set(offeredVariables(of: definition).map(\.name))
        keys.files = Set(definition.secrets.files.keys)
        keys.dockerSecretMounts = Set(definition.secrets.dockerSecretMounts.keys)
        return keys
    }

    /// The keys whose offer by the group with this id may differ between this resolver (before) and `other` (after,
    /// over the same addons): every key it offers on either side when it exists on one side only or its priority,
    /// secret type or restrictions changed (its offers then move between workloads or ranks); otherwise only the keys
    /// whose value or addon differs, or that one side alone offers. No other key's resolution can differ because of it.
    public func keys(changedIn other: Resolver, byGroup id: String) -> KeySelection {
        guard let was = ranking.position[id].map({ groups[$0].definition }), let now = other.ranking.position[id].map({ other.groups[$0].definition }),
            was.priority == now.priority, was.secretType == now.secretType, was.restrictions == now.restrictions
        else {
            var keys = keys(offeredBy: id)
            keys.formUnion(other.keys(offeredBy: id))
            return keys
        }
        struct Offered: Equatable {
            var value: String
            var addonId: String?
        }
        let before = Dictionary(offeredVariables(of: was).map { ($0.name, Offered(value: $0.value, addonId: $0.addonId)) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(other.offeredVariables(of: now).map { ($0.name, Offered(value: $0.value, addonId: $0.addonId)) }, uniquingKeysWith: { a, _ in a })
        var keys = KeySelection()
        keys.variables = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        keys.files = Set(was.secrets.files.keys).union(now.secrets.files.keys).filter { was.secrets.files[$0] != now.secrets.files[$0] }
        keys.dockerSecretMounts = Set(was.secrets.dockerSecretMounts.keys).union(now.secrets.dockerSecretMounts.keys).filter {
            was.secrets.dockerSecretMounts[$0] != now.secrets.dockerSecretMounts[$0]
        }
        return keys
    }

    /// Whether the group with this id feeds `phase` of `workload`.
    public func group(_ id: String, feeds workload: Workload, phase: Phase) -> Bool {
        guard let position = ranking.position[id] else { return false }
        return Self.feeds(groups[position], workload, phase)
    }

    /// Which groups offer `keys`, for resolutions restricted to (some of) them.
    func index(of keys: KeySelection) -> KeyIndex {
        KeyIndex(self, ranking: ranking, keys: keys)
    }

    /// `resolve(workload, phase:)` for `keys` alone: the same entries for those keys (winner, source and everything it
    /// shadows, in the same order), the collision warnings about them, and the link warnings of the applicable groups
    /// in `keys.linkWarningsOf`; templates are not substituted. Visits only the groups that offer a selected key.
    public func resolve(_ workload: Workload, phase: Phase, only keys: KeySelection) -> Resolution {
        resolve(workload, phase: phase, only: keys, in: index(of: keys))
    }

    /// The same with an index that covers `keys` (and maybe more), made once for many workloads.
    func resolve(_ workload: Workload, phase: Phase, only keys: KeySelection, in index: KeyIndex) -> Resolution {
        let ranking = self.ranking
        var applicable = [Bool?](repeating: nil, count: groups.count)
        func applies(_ group: Int) -> Bool {
            if let known = applicable[group] { return known }
            let feeds = Self.feeds(groups[group], workload, phase)
            applicable[group] = feeds
            return feeds
        }
        func offer<Value>(_ offers: [KeyIndex.Offer<Value>], for key: String, in entries: inout [String: ResolvedEntry<Value>]) {
            for offer in offers where applies(offer.group) {
                let source = ValueSource(inheritedFrom: ranking.ids[offer.group], addonId: offer.addonId, priority: groups[offer.group].definition.priority)
                Self.offer(offer.value, source: source, for: key, in: &entries, ownOverrides: false)
            }
        }
        var resolution = Resolution(phase: phase)
        for key in keys.variables { offer(index.variables[key] ?? [], for: key, in: &resolution.variables) }
        for key in keys.files { offer(index.files[key] ?? [], for: key, in: &resolution.files) }
        if phase == .build {
            for key in keys.dockerSecretMounts { offer(index.dockerSecretMounts[key] ?? [], for: key, in: &resolution.dockerSecretMounts) }
        }
        let own = workload.definition.values
        for (name, value) in phase == .runtime ? own.runtimeEnvironment : own.buildArguments where keys.variables.contains(name) {
            Self.offer(value, source: .workload, for: name, in: &resolution.variables, ownOverrides: true)
        }
        for (path, file) in phase == .runtime ? own.runtimeFiles : own.buildFiles where keys.files.contains(path) {
            Self.offer(file, source: .workload, for: path, in: &resolution.files, ownOverrides: true)
        }
        var linkWarnings: [String] = []
        for position in ranking.order where keys.linkWarningsOf.contains(ranking.ids[position]) && applies(position) {
            let definition = groups[position].definition
            guard !definition.addonDependencies.isEmpty || !definition.externalAddonDependencies.isEmpty else { continue }
            let linked = LinkedValues(of: definition, addons: addons, externalAddons: externalAddons)
            linkWarnings += linked.warnings.map { "Group '\(ranking.ids[position])': \($0)" }
        }
        resolution.warnings = collisionWarnings(resolution) + linkWarnings
        return resolution
    }
}
