import Synchronization

/// Computes a workload's effective configuration by the rules of API.md section 6. Pure: everything it needs is
/// passed in, so it can be tested and property-tested without a server or a store.
///
/// Cost: the groups are ranked once per resolver (on first use); a resolution is then one pass over them to filter
/// and one dictionary operation per contributed key; nothing is proportional to groups x groups or to keys x groups
/// per key. A resolution restricted to some keys (`resolve(_:phase:only:)`) visits only the groups offering them,
/// through an index of which group offers which of those keys.
public struct Resolver: Sendable {
    /// Which values to include: `this` (the workload's own), `inherited` (from groups only) or `all` (merged).
    public enum Scope: String, Sendable, CaseIterable {
        case this
        case inherited
        case all
    }

    public let groups: [SecretGroup]
    public let addons: [String: Addon]
    public let externalAddons: [String: Addon]
    let cache = Cache()

    public init(groups: [SecretGroup], addons: [String: Addon] = [:], externalAddons: [String: Addon] = [:]) {
        self.groups = groups
        self.addons = addons
        self.externalAddons = externalAddons
    }

    /// What every resolution of these groups computes alike, made on first use (a resolver is often made and dropped
    /// without resolving anything, as a snapshot folds in a write).
    final class Cache: Sendable {
        let ranking = Mutex<Ranking?>(nil)
    }

    /// The groups best first (higher priority, then the id that sorts first), and each group's id (derived from its
    /// name, so worth deriving once).
    struct Ranking: Sendable {
        /// Indices into `groups`, best first.
        var order: [Int]
        var ids: [String]
        /// Each id's index into `groups`.
        var position: [String: Int]

        init(_ groups: [SecretGroup]) {
            ids = groups.map(\.id)
            position = Dictionary(zip(ids, groups.indices), uniquingKeysWith: { first, _ in first })
            let ids = ids
            order = groups.indices.sorted { (groups[$0].definition.priority, ids[$1]) > (groups[$1].definition.priority, ids[$0]) }
        }
    }

    var ranking: Ranking {
        cache.ranking.withLock { ranking in
            if let ranking { return ranking }
            let made = Ranking(groups)
            ranking = made
            return made
        }
    }

    /// The groups that feed `phase` of `workload`, best first: higher priority, then the id that sorts first.
    public func applicableGroups(for workload: Workload, phase: Phase) -> [SecretGroup] {
        ranking.order.lazy.map { groups[$0] }.filter { Self.feeds($0, workload, phase) }
    }

    /// Whether `group` feeds `phase` of `workload`: its secret type covers the phase and its restrictions let it apply.
    static func feeds(_ group: SecretGroup, _ workload: Workload, _ phase: Phase) -> Bool {
        phase.isFed(by: group.definition.secretType) && group.definition.restrictions.applies(to: workload)
    }

    public func resolve(_ workload: Workload, phase: Phase, scope: Scope = .all) -> Resolution {
        var resolution = Resolution(phase: phase)
        if scope != .this {
            let ranking = self.ranking
            for index in ranking.order where Self.feeds(groups[index], workload, phase) {
                contribute(groups[index], id: ranking.ids[index], phase: phase, to: &resolution)
            }
        }
        if scope != .inherited {
            let own = workload.definition.values
            for (name, value) in phase == .runtime ? own.runtimeEnvironment : own.buildArguments {
                Self.offer(value, source: .workload, for: name, in: &resolution.variables, ownOverrides: true)
            }
            for (path, file) in phase == .runtime ? own.runtimeFiles : own.buildFiles {
                Self.offer(file, source: .workload, for: path, in: &resolution.files, ownOverrides: true)
            }
        }
        resolution.warnings = collisionWarnings(resolution) + resolution.warnings
        return resolution
    }

    /// Adds one group's keys below everything already offered (groups come best first).
    func contribute(_ group: SecretGroup, id: String, phase: Phase, to resolution: inout Resolution) {
        let definition = group.definition
        let source = ValueSource(inheritedFrom: id, addonId: nil, priority: definition.priority)
        if definition.addonDependencies.isEmpty && definition.externalAddonDependencies.isEmpty {
            for (name, value) in definition.secrets.variables {
                Self.offer(value, source: source, for: name, in: &resolution.variables, ownOverrides: false)
            }
        } else {
            let linked = LinkedValues(of: definition, addons: addons, externalAddons: externalAddons)
            resolution.warnings += linked.warnings.map { "Group '\(id)': \($0)" }
            for (name, value) in linked.merged(under: definition.secrets.variables) {
                let addonId = definition.secrets.variables[name] == nil ? linked.addonIds[name] : nil
                let linkedSource = ValueSource(inheritedFrom: id, addonId: addonId, priority: definition.priority)
                Self.offer(value, source: linkedSource, for: name, in: &resolution.variables, ownOverrides: false)
            }
        }
        for (path, file) in definition.secrets.files {
            Self.offer(file, source: source, for: path, in: &resolution.files, ownOverrides: false)
        }
        if phase == .build {
            for (name, file) in definition.secrets.dockerSecretMounts {
                Self.offer(file, source: source, for: name, in: &resolution.dockerSecretMounts, ownOverrides: false)
            }
        }
    }

    /// A value for `key`: it wins if the key is new or it is the workload's own; otherwise it joins the shadowed.
    static func offer<Value>(
        _ value: Value,
        source: ValueSource,
        for key: String,
        in entries: inout [String: ResolvedEntry<Value>],
        ownOverrides: Bool
    ) {
        guard var entry = entries[key] else {
            entries[key] = ResolvedEntry(value: value, source: source, overriding: [])
            return
        }
        if ownOverrides {
            entry.overriding.insert(.init(value: entry.value, source: entry.source), at: 0)
            entry.value = value
            entry.source = source
        } else {
            entry.overriding.append(.init(value: value, source: source))
        }
        entries[key] = entry
    }

    /// Equal-priority collisions between the winning group and another, and keys of a group that an unrestricted,
    /// better-placed group covering the same phases always shadows (so they can never win for any workload).
    /// One pass over each key's candidates, best first, remembering the best unrestricted group per secret type.
    func collisionWarnings(_ resolution: Resolution) -> [String] {
        var warnings: [String] = []
        let ranking = self.ranking
        func check<Value>(_ entries: [String: ResolvedEntry<Value>], kind: String) {
            // A key only one value was offered for has nothing to warn about.
            for (key, entry) in entries.filter({ !$0.value.overriding.isEmpty }).sorted(by: { $0.key < $1.key }) {
                let candidates = ([entry.source] + entry.overriding.map(\.source)).compactMap { source in
                    source.inheritedFrom.flatMap { ranking.position[$0] }.map { (id: ranking.ids[$0], definition: groups[$0].definition) }
                }
                guard let winner = candidates.first else { continue }
                var bestUnrestricted: [SecretType: (id: String, definition: SecretGroupDefinition)] = [:]
                for (position, group) in candidates.enumerated() {
                    if position > 0 {
                        if group.definition.priority == winner.definition.priority {
                            warnings.append(
                                "\(kind) \(key): groups '\(winner.id)' and '\(group.id)' have equal priority \(winner.definition.priority);"
                                    + " '\(winner.id)' wins because its id sorts first"
                            )
                        }
                        let type = group.definition.secretType
                        // Only a group feeding every phase this one feeds can shadow it everywhere.
                        // (At equal priority the collision warning already says who wins.)
                        if let shadow = bestUnrestricted[.environmentArguments] ?? bestUnrestricted[type],
                            shadow.definition.priority > group.definition.priority
                        {
                            warnings.append(
                                "\(kind) \(key) of group '\(group.id)' can never win: unrestricted group '\(shadow.id)' "
                                    + "(priority \(shadow.definition.priority)) always provides it"
                            )
                        }
                    }
                    if !group.definition.restrictions.restricted, bestUnrestricted[group.definition.secretType] == nil {
                        bestUnrestricted[group.definition.secretType] = group
                    }
                }
            }
        }
        check(resolution.variables, kind: "Variable")
        check(resolution.files, kind: "File")
        check(resolution.dockerSecretMounts, kind: "Docker secret mount")
        return warnings
    }
}
