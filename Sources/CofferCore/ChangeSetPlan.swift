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
    /// set wrote). Only workloads that a touched group applies to, before or after, are resolved: no other workload's
    /// configuration can differ.
    public init(before: Resolver, after: Resolver, workloads: [Workload], touched: Set<String>) {
        let beforeTouched = before.groups.filter { touched.contains($0.id) }
        let afterTouched = after.groups.filter { touched.contains($0.id) }
        var plans: [WorkloadPlan] = []
        let ordered = workloads.sorted { ($0.kind == .service ? 0 : 1, $0.id) < ($1.kind == .service ? 0 : 1, $1.id) }
        for workload in ordered {
            for phase in Phase.allCases {
                let fed = { (group: SecretGroup) in
                    phase.isFed(by: group.definition.secretType) && group.definition.restrictions.applies(to: workload)
                }
                guard beforeTouched.contains(where: fed) || afterTouched.contains(where: fed) else { continue }
                let plan = WorkloadPlan(
                    workload, phase: phase, from: before.resolve(workload, phase: phase), to: after.resolve(workload, phase: phase)
                )
                if !plan.isEmpty { plans.append(plan) }
            }
        }
        self.init(workloads: plans, warnings: ProjectDiagnostics.unmatchedRestrictions(groups: after.groups, workloads: workloads))
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
