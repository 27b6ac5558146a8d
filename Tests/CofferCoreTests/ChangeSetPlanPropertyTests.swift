import PropertyBased
import Testing

@testable import CofferCore

/// The plan of a change set, checked against the resolver itself on generated projects: for the workload and each phase,
/// the plan lists exactly the keys whose winning value or supplier differs between the two resolutions, sorted into
/// added, removed, changed and moved, with the suppliers the resolutions name; and nothing when they are the same. It
/// resolves only workloads a written group applies to, so this is also the check that the shortcut misses nothing.
@Suite struct ChangeSetPlanPropertyTests {
    /// A project, and the same project after a change set: each group kept, replaced by another random one of the same
    /// name (values sometimes the same, sometimes not), or deleted; and groups of unused names sometimes added.
    static let change = Generator<(RandomProject, [SecretGroup]), Shrink.None<(RandomProject, [SecretGroup])>> { rng in
        let project = ProjectGenerators.project.run(using: &rng)
        var after: [SecretGroup] = []
        for group in project.groups {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: continue
            case 1: after.append(replacement(for: group.id, &rng))
            case 2: after.append(tweaked(group, &rng))
            default: after.append(group)
            }
        }
        let unused = ProjectGenerators.groupNames.filter { name in !project.groups.contains { $0.id == name } }
        for name in unused where Int.random(in: 0..<3, using: &rng) == 0 { after.append(ProjectGenerators.group(name, &rng)) }
        return (project, after)
    }

    /// The same group (priority, type and restrictions kept) with some values changed, some keys dropped or added.
    static func tweaked(_ group: SecretGroup, _ rng: inout any SeededRandomNumberGenerator) -> SecretGroup {
        var group = group
        var variables = group.definition.secrets.variables
        for key in ProjectGenerators.subset(ProjectGenerators.variableKeys, &rng) {
            variables[key] = Bool.random(using: &rng) ? nil : "\(group.id):\(key)'"
        }
        group.definition.secrets.variables = variables
        if Bool.random(using: &rng), let path = ProjectGenerators.paths.randomElement(using: &rng) {
            group.definition.secrets.files[path] = Bool.random(using: &rng) ? nil : Fixture.file("\(group.id):\(path)'")
        }
        if Bool.random(using: &rng) { group.definition.addonDependencies = ProjectGenerators.link(["db", "cache", "gone"], &rng) }
        return group
    }

    static func replacement(for name: String, _ rng: inout any SeededRandomNumberGenerator) -> SecretGroup {
        var group = ProjectGenerators.group(name, &rng)
        if Bool.random(using: &rng) { group.definition.secrets.variables = group.definition.secrets.variables.mapValues { $0 + "'" } }
        return group
    }

    /// Every key of both resolutions with its value and supplier, by type.
    static func entries(_ resolution: Resolution) -> [PlannedKey.KeyType: [String: (value: String, source: ValueSource)]] {
        [
            .variable: resolution.variables.mapValues { ($0.value, $0.source) },
            .file: resolution.files.mapValues { ("\($0.value.data.base64EncodedString()) \($0.value.encoding)", $0.source) },
            .dockerSecretMount: resolution.dockerSecretMounts.mapValues { ("\($0.value.data.base64EncodedString()) \($0.value.encoding)", $0.source) },
        ]
    }

    @Test("the plan is exactly the difference of the resolutions before and after, for every phase")
    func planMatchesTheResolver() async {
        await propertyCheck(count: 300, input: Self.change) { project, afterGroups in
            let before = project.resolver
            let after = Resolver(groups: afterGroups, addons: project.addons, externalAddons: project.externalAddons)
            let beforeById = Dictionary(uniqueKeysWithValues: project.groups.map { ($0.id, $0) })
            let afterById = Dictionary(uniqueKeysWithValues: afterGroups.map { ($0.id, $0) })
            let touched = Set(beforeById.keys).union(afterById.keys).filter { beforeById[$0] != afterById[$0] }
            let plan = ChangeSetPlan(before: before, after: after, workloads: [project.workload], touched: touched)

            for phase in Phase.allCases {
                let old = Self.entries(before.resolve(project.workload, phase: phase))
                let new = Self.entries(after.resolve(project.workload, phase: phase))
                var expected = WorkloadPlan(
                    kind: project.workload.kind, id: project.workload.id, phase: phase, added: [], removed: [], changed: [], moved: [], warnings: []
                )
                for type in PlannedKey.KeyType.allCases {
                    let was = old[type] ?? [:]
                    let now = new[type] ?? [:]
                    for key in Set(was.keys).union(now.keys).sorted() {
                        let planned = PlannedKey(
                            key: key, type: type, inheritedFrom: now[key]?.source.inheritedFrom, addonId: now[key]?.source.addonId,
                            previouslyFrom: was[key]?.source.inheritedFrom, previousAddonId: was[key]?.source.addonId
                        )
                        switch (was[key], now[key]) {
                        case (nil, _?): expected.added.append(planned)
                        case (_?, nil): expected.removed.append(planned)
                        case (let then?, let now?) where then.value != now.value: expected.changed.append(planned)
                        case (let then?, let now?) where then.source.inheritedFrom != now.source.inheritedFrom || then.source.addonId != now.source.addonId:
                            expected.moved.append(planned)
                        default: continue
                        }
                    }
                }
                let found = plan.workloads.first { $0.phase == phase }
                if expected.isEmpty {
                    #expect(found == nil, "\(phase): nothing differs, so nothing is planned; \(project)")
                } else {
                    // The warnings are the resolver's own, about the planned keys and the written groups' links.
                    let full = Set(after.resolve(project.workload, phase: phase).warnings)
                    let warnings = found?.warnings ?? []
                    #expect(Set(warnings).isSubset(of: full), "\(phase): \(project)")
                    expected.warnings = warnings
                    #expect(found == expected, "\(phase): \(project) -> \(afterGroups.map(\.id))")
                }
            }
            #expect(plan.warnings == ProjectDiagnostics.unmatchedRestrictions(groups: afterGroups, workloads: [project.workload]))
        }
    }

    /// A project and a random selection of keys from the generators' pools (some no group offers), and groups whose
    /// link warnings to report.
    static let selection = Generator<(RandomProject, KeySelection), Shrink.None<(RandomProject, KeySelection)>> { rng in
        let project = ProjectGenerators.project.run(using: &rng)
        var keys = KeySelection()
        keys.variables = Set(ProjectGenerators.subset(ProjectGenerators.variableKeys + ["NF_DB_USER", "NF_CACHE_USER", "NF_EXT_USER", "NONE"], &rng))
        keys.files = Set(ProjectGenerators.subset(ProjectGenerators.paths, &rng))
        keys.dockerSecretMounts = Set(ProjectGenerators.subset(ProjectGenerators.mountNames, &rng))
        keys.linkWarningsOf = Set(ProjectGenerators.subset(project.groups.map(\.id), &rng))
        return (project, keys)
    }

    @Test("a resolution restricted to some keys is the full resolution's entries for those keys")
    func restrictedResolutionMatchesTheFullOne() async {
        await propertyCheck(count: 300, input: Self.selection) { project, keys in
            for phase in Phase.allCases {
                let full = project.resolver.resolve(project.workload, phase: phase)
                let restricted = project.resolver.resolve(project.workload, phase: phase, only: keys)
                #expect(restricted.variables == full.variables.filter { keys.variables.contains($0.key) }, "\(phase): \(project)")
                #expect(restricted.files == full.files.filter { keys.files.contains($0.key) }, "\(phase): \(project)")
                #expect(restricted.dockerSecretMounts == full.dockerSecretMounts.filter { keys.dockerSecretMounts.contains($0.key) })
                #expect(Set(restricted.warnings).isSubset(of: Set(full.warnings)), "\(phase): \(project)")
                // Every link warning of a selected, applicable group is there.
                let linkWarnings = full.warnings.filter { warning in keys.linkWarningsOf.contains { warning.hasPrefix("Group '\($0)': ") } }
                #expect(Set(linkWarnings).isSubset(of: Set(restricted.warnings)), "\(phase): \(project)")
            }
        }
    }

    /// A change and several workloads, often of one shape (the same tags and stage, no values of their own).
    static let changeAndWorkloads = Generator<((RandomProject, [SecretGroup]), [Workload]), Shrink.None<((RandomProject, [SecretGroup]), [Workload])>> {
        rng in
        let change = Self.change.run(using: &rng)
        let workloads = (0..<Int.random(in: 2...6, using: &rng)).map { index -> Workload in
            var workload = ProjectGenerators.workload(&rng)
            workload.definition.name = ["api", "worker", "w\(index)"].randomElement(using: &rng)!
            if Bool.random(using: &rng) { workload.definition.values = WorkloadValues() }
            if Bool.random(using: &rng) { workload.definition.tags = ["eu"] }
            return workload
        }
        return (change, workloads)
    }

    @Test("each workload's plan is the plan of that workload alone, whatever others share its shape")
    func workloadsOfOneShapeShareTheirPlanCorrectly() async {
        await propertyCheck(count: 200, input: Self.changeAndWorkloads) { change, workloads in
            let (project, afterGroups) = change
            let before = project.resolver
            let after = Resolver(groups: afterGroups, addons: project.addons, externalAddons: project.externalAddons)
            let touched = Set(project.groups.map(\.id) + afterGroups.map(\.id)).filter { id in
                project.groups.first { $0.id == id } != afterGroups.first { $0.id == id }
            }
            let together = ChangeSetPlan(before: before, after: after, workloads: workloads, touched: touched)
            var alone: [WorkloadPlan] = []
            for workload in workloads.sorted(by: { ($0.kind == .service ? 0 : 1, $0.id) < ($1.kind == .service ? 0 : 1, $1.id) }) {
                alone += ChangeSetPlan(before: before, after: after, workloads: [workload], touched: touched).workloads
            }
            #expect(together.workloads == alone, "\(project) -> \(afterGroups.map(\.id)); \(workloads.map(\.id))")
        }
    }

    @Test("a change set that writes nothing plans nothing")
    func noChangeNoPlan() async {
        await propertyCheck(count: 100, input: ProjectGenerators.project) { project in
            let plan = ChangeSetPlan(before: project.resolver, after: project.resolver, workloads: [project.workload], touched: [])
            #expect(plan.isEmpty)
        }
    }
}
