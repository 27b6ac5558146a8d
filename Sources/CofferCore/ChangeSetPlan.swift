/// What a change set does to the project's workloads: for every service and job whose effective runtime or build
/// configuration it alters, the keys added, removed and changed, and the group that supplies each. Key names only.
public struct ChangeSetPlan: Sendable, Hashable, Codable {
    /// Services first, then jobs, each by id, runtime before build.
    public var workloads: [WorkloadPlan]
    /// The project's own warnings after the change (restrictions that match no workload).
    public var warnings: [String]

    public init(workloads: [WorkloadPlan], warnings: [String]) {
        self.workloads = workloads
        self.warnings = warnings
    }

    /// The plan of going from `before` to `after` (the same addons; groups differ only in `touched`, the ids the change
    /// set wrote). Only what a written group can change is resolved: for each workload a written group feeds (before or
    /// after), the keys whose offer by such a group differs (`Resolver.keys(changedIn:byGroup:)`; no other key's
    /// winner can differ). Each workload's warnings are the resolver's about those keys and the written groups' links.
    ///
    /// Workloads that no group names and that have the same tags, stage and own values get the same configuration, so
    /// their plan is computed once: a project's services usually come in a few such shapes.
    ///
    /// `projectWorkloads` (default: `workloads`) are every workload of the project, for the project's warnings, when
    /// `workloads` are only those the plan may show.
    public init(before: Resolver, after: Resolver, workloads: [Workload], projectWorkloads: [Workload]? = nil, touched: Set<String>) {
        // Only keys whose offer by a written group differs can change, so only they are indexed.
        var interesting = KeySelection()
        var changes: [(id: String, keys: KeySelection)] = []
        for id in touched.sorted() {
            changes.append((id, before.keys(changedIn: after, byGroup: id)))
            interesting.formUnion(changes[changes.count - 1].keys)
        }
        let indexes = (before: before.index(of: interesting), after: after.index(of: interesting))
        let named = Set((before.groups + after.groups).flatMap { $0.definition.restrictions.nfObjects.map { "\($0.type.rawValue):\($0.id)" } })
        var shapes: [Shape: WorkloadPlan?] = [:]
        var plans: [WorkloadPlan] = []
        let ordered = workloads.sorted { ($0.kind == .service ? 0 : 1, $0.id) < ($1.kind == .service ? 0 : 1, $1.id) }
        for workload in ordered {
            for phase in Phase.allCases {
                let shape = Shape(workload, phase: phase, named: named)
                let plan: WorkloadPlan?
                if let known = shapes[shape] {
                    plan = known.map { WorkloadPlan(kind: workload.kind, id: workload.id, $0) }
                } else {
                    plan = Self.plan(of: workload, phase: phase, before: before, after: after, changes: changes, indexes: indexes)
                    shapes[shape] = .some(plan)
                }
                if let plan { plans.append(plan) }
            }
        }
        self.init(workloads: plans, warnings: ProjectDiagnostics.unmatchedRestrictions(groups: after.groups, workloads: projectWorkloads ?? workloads))
    }

    /// One workload's plan in one phase; nil when nothing it receives changes.
    private static func plan(
        of workload: Workload, phase: Phase, before: Resolver, after: Resolver,
        changes: [(id: String, keys: KeySelection)], indexes: (before: KeyIndex, after: KeyIndex)
    ) -> WorkloadPlan? {
        var keys = KeySelection()
        for change in changes where before.group(change.id, feeds: workload, phase: phase) || after.group(change.id, feeds: workload, phase: phase) {
            keys.formUnion(change.keys)
        }
        guard !keys.variables.isEmpty || !keys.files.isEmpty || !keys.dockerSecretMounts.isEmpty else { return nil }
        keys.linkWarningsOf = Set(changes.map(\.id))
        let plan = WorkloadPlan(
            workload, phase: phase, from: before.resolve(workload, phase: phase, only: keys, in: indexes.before),
            to: after.resolve(workload, phase: phase, only: keys, in: indexes.after)
        )
        return plan.isEmpty ? nil : plan
    }

    /// What decides a workload's configuration in one phase, besides the groups: its tags, stage and own values, and its
    /// identity only where some group names it.
    private struct Shape: Hashable {
        var phase: Phase
        var tags: Set<String>
        var stageId: String?
        var identity: String?
        var ownVariables: [String: String]
        var ownFiles: [String: SecretFile]

        init(_ workload: Workload, phase: Phase, named: Set<String>) {
            self.phase = phase
            tags = Set(workload.definition.tags)
            stageId = workload.definition.stageId
            let identity = "\(workload.kind.rawValue):\(workload.id)"
            self.identity = named.contains(identity) ? identity : nil
            let own = workload.definition.values
            ownVariables = phase == .runtime ? own.runtimeEnvironment : own.buildArguments
            ownFiles = phase == .runtime ? own.runtimeFiles : own.buildFiles
        }
    }

    /// Whether no workload's configuration changes.
    public var isEmpty: Bool { workloads.isEmpty }
}

/// One workload's change in one phase.
public struct WorkloadPlan: Sendable, Hashable, Codable {
    public var kind: WorkloadKind
    public var id: String
    public var phase: Phase
    /// Keys it did not have, with the group that supplies each.
    public var added: [PlannedKey]
    /// Keys it loses, with the group that supplied each.
    public var removed: [PlannedKey]
    /// Keys whose value changes, with the group that supplies each now and the one that did.
    public var changed: [PlannedKey]
    /// Keys whose value stays but that another group (or addon link) supplies now.
    public var moved: [PlannedKey]
    /// What the resolver warns about this workload and phase after the change (section 6).
    public var warnings: [String]

    public init(
        kind: WorkloadKind, id: String, phase: Phase, added: [PlannedKey], removed: [PlannedKey], changed: [PlannedKey], moved: [PlannedKey],
        warnings: [String]
    ) {
        self.kind = kind
        self.id = id
        self.phase = phase
        self.added = added
        self.removed = removed
        self.changed = changed
        self.moved = moved
        self.warnings = warnings
    }

    /// The difference between two resolutions of `workload` in `phase`.
    public init(_ workload: Workload, phase: Phase, from old: Resolution, to new: Resolution) {
        var plan = WorkloadPlan(kind: workload.kind, id: workload.id, phase: phase, added: [], removed: [], changed: [], moved: [], warnings: [])
        plan.compare(old.variables, new.variables, as: .variable)
        plan.compare(old.files, new.files, as: .file)
        plan.compare(old.dockerSecretMounts, new.dockerSecretMounts, as: .dockerSecretMount)
        plan.warnings = plan.isEmpty ? [] : new.warnings
        self = plan
    }

    /// `plan` for another workload of the same shape.
    init(kind: WorkloadKind, id: String, _ plan: WorkloadPlan) {
        self = plan
        self.kind = kind
        self.id = id
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && moved.isEmpty }

    private mutating func compare<Value>(
        _ old: [String: ResolvedEntry<Value>],
        _ new: [String: ResolvedEntry<Value>],
        as type: PlannedKey.KeyType
    ) {
        for key in Set(old.keys).union(new.keys).sorted() {
            switch (old[key], new[key]) {
            case (nil, let now?):
                added.append(PlannedKey(key: key, type: type, now: now.source, before: nil))
            case (let then?, nil):
                removed.append(PlannedKey(key: key, type: type, now: nil, before: then.source))
            case (let then?, let now?) where then.value != now.value:
                changed.append(PlannedKey(key: key, type: type, now: now.source, before: then.source))
            case (let then?, let now?) where then.source.inheritedFrom != now.source.inheritedFrom || then.source.addonId != now.source.addonId:
                moved.append(PlannedKey(key: key, type: type, now: now.source, before: then.source))
            default:
                continue
            }
        }
    }
}

/// One key in a plan: its name and where its value comes from after and before the change (a workload's own values
/// never change in a change set, so both name groups, and an addon where the group links the key).
public struct PlannedKey: Sendable, Hashable, Codable {
    public enum KeyType: String, Sendable, Hashable, Codable, CaseIterable {
        case variable
        case file
        case dockerSecretMount
    }

    /// A variable's name, a file's path or a Docker secret mount's name.
    public var key: String
    public var type: KeyType
    /// The group that supplies the key after the change (absent for a removed key).
    public var inheritedFrom: String?
    public var addonId: String?
    /// The group that supplied it before (absent for an added key).
    public var previouslyFrom: String?
    public var previousAddonId: String?

    public init(key: String, type: KeyType, inheritedFrom: String?, addonId: String?, previouslyFrom: String?, previousAddonId: String?) {
        self.key = key
        self.type = type
        self.inheritedFrom = inheritedFrom
        self.addonId = addonId
        self.previouslyFrom = previouslyFrom
        self.previousAddonId = previousAddonId
    }

    init(key: String, type: KeyType, now: ValueSource?, before: ValueSource?) {
        self.init(
            key: key, type: type, inheritedFrom: now?.inheritedFrom, addonId: now?.addonId, previouslyFrom: before?.inheritedFrom,
            previousAddonId: before?.addonId
        )
    }
}
