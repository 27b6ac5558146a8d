/// Computes a workload's effective configuration by the rules of API.md section 6. Pure: everything it needs is
/// passed in, so it can be tested and property-tested without a server or a store.
///
/// Cost: one pass over the groups to filter, a sort of the applicable ones, then one dictionary operation per
/// contributed key; nothing is proportional to groups x groups or to keys x groups per key.
public struct Resolver: Sendable {
    /// Which values to include: `this` (the workload's own), `inherited` (from groups only) or `all` (merged).
    public enum Scope: String, Sendable, CaseIterable {
        case this
        case inherited
        case all
    }

    public var groups: [SecretGroup]
    public var addons: [String: Addon]
    public var externalAddons: [String: Addon]

    public init(groups: [SecretGroup], addons: [String: Addon] = [:], externalAddons: [String: Addon] = [:]) {
        self.groups = groups
        self.addons = addons
        self.externalAddons = externalAddons
    }

    /// The groups that feed `phase` of `workload`, best first: higher priority, then the id that sorts first.
    public func applicableGroups(for workload: Workload, phase: Phase) -> [SecretGroup] {
        groups.filter { phase.isFed(by: $0.definition.secretType) && $0.definition.restrictions.applies(to: workload) }
            .sorted { ($0.definition.priority, $1.id) > ($1.definition.priority, $0.id) }
    }

    public func resolve(_ workload: Workload, phase: Phase, scope: Scope = .all) -> Resolution {
        var resolution = Resolution(phase: phase)
        if scope != .this {
            for group in applicableGroups(for: workload, phase: phase) {
                contribute(group, phase: phase, to: &resolution)
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
    func contribute(_ group: SecretGroup, phase: Phase, to resolution: inout Resolution) {
        let definition = group.definition
        let linked = LinkedValues(of: definition, addons: addons, externalAddons: externalAddons)
        resolution.warnings += linked.warnings.map { "Group '\(group.id)': \($0)" }
        for (name, value) in linked.merged(under: definition.secrets.variables) {
            let addonId = definition.secrets.variables[name] == nil ? linked.addonIds[name] : nil
            let source = ValueSource(inheritedFrom: group.id, addonId: addonId, priority: definition.priority)
            Self.offer(value, source: source, for: name, in: &resolution.variables, ownOverrides: false)
        }
        let source = ValueSource(inheritedFrom: group.id, addonId: nil, priority: definition.priority)
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
        let byId = Dictionary(groups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func check<Value>(_ entries: [String: ResolvedEntry<Value>], kind: String) {
            for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
                let candidates = ([entry.source] + entry.overriding.map(\.source)).compactMap { $0.inheritedFrom.flatMap { byId[$0] } }
                guard let winner = candidates.first else { continue }
                var bestUnrestricted: [SecretType: SecretGroup] = [:]
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
