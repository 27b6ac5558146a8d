import PropertyBased
import Testing

@testable import CofferCore

@Suite("Resolver properties")
struct ResolverPropertyTests {
    @Test("the resolution does not depend on the order groups are stored in")
    func groupOrderIrrelevant() async {
        await propertyCheck(count: 150, input: ProjectGenerators.projectAndShuffle) { project, shuffled in
            var other = project
            other.groups = shuffled
            for phase in Phase.allCases {
                for scope in Resolver.Scope.allCases {
                    let original = project.resolver.resolve(project.workload, phase: phase, scope: scope)
                    let reordered = other.resolver.resolve(project.workload, phase: phase, scope: scope)
                    #expect(reordered.environment == original.environment)
                    #expect(reordered.variables == original.variables)
                    #expect(reordered.files == original.files)
                    #expect(reordered.dockerSecretMounts == original.dockerSecretMounts)
                    #expect(reordered.warnings.sorted() == original.warnings.sorted())
                }
            }
        }
    }

    @Test("a group raised above all others and made applicable wins each of its keys unless the workload defines it")
    func raisedGroupWins() async {
        await propertyCheck(count: 150, input: ProjectGenerators.project, Gen.int(in: 0...5)) { project, pick in
            guard !project.groups.isEmpty else { return }
            var project = project
            let index = pick % project.groups.count
            let top = (project.groups.map(\.definition.priority).max() ?? 0) + 1
            project.groups[index].definition.priority = top
            project.groups[index].definition.restrictions.restricted = false
            project.groups[index].definition.secretType = .environmentArguments
            let raised = project.groups[index]
            for phase in Phase.allCases {
                let resolution = project.resolver.resolve(project.workload, phase: phase)
                let own = project.own(phase)
                for (key, value) in project.offered(by: raised) {
                    let entry = try #require(resolution.variables[key])
                    if own.variables[key] == nil {
                        #expect(entry.value == value)
                        #expect(entry.source.inheritedFrom == raised.id)
                        #expect(entry.source.priority == top)
                    } else {
                        #expect(entry.source == .workload)
                        #expect(entry.overriding.first?.source.inheritedFrom == raised.id)
                    }
                }
                for (path, file) in raised.definition.secrets.files where own.files[path] == nil {
                    #expect(resolution.files[path]?.value == file)
                    #expect(resolution.files[path]?.source.inheritedFrom == raised.id)
                }
                guard phase == .build else { continue }
                for (name, file) in raised.definition.secrets.dockerSecretMounts {
                    #expect(resolution.dockerSecretMounts[name]?.value == file)
                }
            }
        }
    }

    @Test("an unrestricted group's key that nobody else defines always comes from that group")
    func uniqueKeyOfUnrestrictedGroup() async {
        await propertyCheck(count: 150, input: ProjectGenerators.project) { project in
            for phase in Phase.allCases {
                let resolution = project.resolver.resolve(project.workload, phase: phase)
                let own = project.own(phase)
                for group in project.groups where !group.definition.restrictions.restricted && phase.isFed(by: group.definition.secretType) {
                    let others = project.groups.filter { $0.id != group.id }
                    for (key, value) in project.offered(by: group)
                    where own.variables[key] == nil && !others.contains(where: { project.offered(by: $0)[key] != nil }) {
                        let entry = try #require(resolution.variables[key])
                        #expect(entry.value == value)
                        #expect(entry.source.inheritedFrom == group.id)
                        #expect(entry.source.priority == group.definition.priority)
                        #expect(entry.overriding.isEmpty)
                    }
                    for (path, file) in group.definition.secrets.files
                    where own.files[path] == nil && !others.contains(where: { $0.definition.secrets.files[path] != nil }) {
                        #expect(resolution.files[path]?.value == file)
                        #expect(resolution.files[path]?.source.inheritedFrom == group.id)
                    }
                }
            }
        }
    }

    @Test("the workload's own values always win, and scope this is exactly them")
    func ownValuesAlwaysWin() async {
        await propertyCheck(count: 150, input: ProjectGenerators.project) { project in
            for phase in Phase.allCases {
                let resolution = project.resolver.resolve(project.workload, phase: phase)
                let own = project.own(phase)
                for (key, value) in own.variables {
                    #expect(resolution.variables[key]?.value == value)
                    #expect(resolution.variables[key]?.source == .workload)
                }
                for (path, file) in own.files {
                    #expect(resolution.files[path]?.value == file)
                    #expect(resolution.files[path]?.source == .workload)
                }
                let this = project.resolver.resolve(project.workload, phase: phase, scope: .this)
                #expect(this.environment == own.variables)
                #expect(this.fileValues == own.files)
                #expect(this.dockerSecretMounts.isEmpty)
            }
        }
    }

    @Test("every key of the merged resolution comes from the workload or an applicable group; inherited ignores the workload")
    func mergedIsInheritedUnderOwn() async {
        await propertyCheck(count: 100, input: ProjectGenerators.project) { project in
            for phase in Phase.allCases {
                let all = project.resolver.resolve(project.workload, phase: phase)
                let inherited = project.resolver.resolve(project.workload, phase: phase, scope: .inherited)
                let own = project.own(phase)
                #expect(all.environment == inherited.environment.merging(own.variables) { _, own in own })
                #expect(all.fileValues == inherited.fileValues.merging(own.files) { _, own in own })
                let applicable = Set(project.resolver.applicableGroups(for: project.workload, phase: phase).map(\.id))
                #expect(inherited.variables.values.allSatisfy { $0.source.inheritedFrom.map(applicable.contains) == true })
            }
        }
    }
}
