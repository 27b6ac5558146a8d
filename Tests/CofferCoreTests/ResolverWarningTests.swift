import Testing

@testable import CofferCore

@Suite("Resolver and project warnings")
struct ResolverWarningTests {
    static let service = Fixture.workload("api", tags: ["backend"])

    @Test("an equal-priority collision is reported naming both groups")
    func tieIsReported() throws {
        let groups = [
            Fixture.group("zzz-group", priority: 40, variables: ["SHARED": "z"]),
            Fixture.group("aaa-group", priority: 40, variables: ["SHARED": "a"]),
        ]
        let warnings = Resolver(groups: groups).resolve(Self.service, phase: .runtime).warnings
        let warning = try #require(warnings.only)
        #expect(warning.contains("aaa-group"))
        #expect(warning.contains("zzz-group"))
        #expect(warning.contains("SHARED"))
    }

    @Test("an equal-priority collision on a file path is reported too")
    func fileTieIsReported() throws {
        let groups = [
            Fixture.group("zzz-group", priority: 40, files: ["/etc/conf": Fixture.file("z")]),
            Fixture.group("aaa-group", priority: 40, files: ["/etc/conf": Fixture.file("a")]),
        ]
        let warning = try #require(Resolver(groups: groups).resolve(Self.service, phase: .runtime).warnings.only)
        #expect(warning.contains("aaa-group") && warning.contains("zzz-group") && warning.contains("/etc/conf"))
    }

    @Test("groups of different priority sharing keys under a restricted winner produce no warning")
    func differentPriorityIsQuiet() {
        let groups = [
            Fixture.group("high", priority: 50, restrictions: Fixture.restricted(tags: ["backend"]), variables: ["KEY": "h"]),
            Fixture.group("low", priority: 20, variables: ["KEY": "l"]),
        ]
        #expect(Resolver(groups: groups).resolve(Self.service, phase: .runtime).warnings.isEmpty)
    }

    @Test("a key shadowed by an unrestricted higher-priority group covering its phases can never win")
    func canNeverWin() throws {
        let groups = [
            Fixture.group("always", .environmentArguments, priority: 50, variables: ["KEY": "a"]),
            Fixture.group("shadowed", .environment, priority: 20, variables: ["KEY": "s", "FREE": "f"]),
        ]
        let warning = try #require(Resolver(groups: groups).resolve(Self.service, phase: .runtime).warnings.only)
        #expect(warning.contains("can never win"))
        #expect(warning.contains("shadowed"))
        #expect(warning.contains("always"))
        #expect(warning.contains("KEY"))
    }

    @Test("no can-never-win warning when the higher group does not cover every phase the lower one feeds")
    func canStillWinInAnotherPhase() {
        let groups = [
            Fixture.group("runtime-only", .environment, priority: 50, variables: ["KEY": "a"]),
            Fixture.group("both-phases", .environmentArguments, priority: 20, variables: ["KEY": "b"]),
        ]
        #expect(Resolver(groups: groups).resolve(Self.service, phase: .runtime).warnings.isEmpty)
    }

    @Test("a key that can never win is reported even when a restricted group wins it for this workload")
    func canNeverWinBehindRestrictedWinner() {
        let groups = [
            Fixture.group("restricted-top", priority: 90, restrictions: Fixture.restricted(tags: ["backend"]), variables: ["KEY": "r"]),
            Fixture.group("always", priority: 50, variables: ["KEY": "a"]),
            Fixture.group("shadowed", priority: 20, variables: ["KEY": "s"]),
        ]
        let resolver = Resolver(groups: groups)
        let elsewhere = resolver.resolve(Fixture.workload("worker", kind: .job), phase: .runtime).warnings
        #expect(elsewhere.contains { $0.contains("can never win") && $0.contains("'shadowed'") })
        // The fact is about the groups, not the workload: a workload the restricted group applies to must see it too.
        let here = resolver.resolve(Self.service, phase: .runtime).warnings
        #expect(here.contains { $0.contains("can never win") && $0.contains("'shadowed'") })
    }

    @Test("addon link warnings name the group they come from")
    func linkWarningsNameTheGroup() throws {
        let link = AddonDependency(addonId: "missing-db", keys: [.init(keyName: "HOST")])
        let group = Fixture.group("needs-db", priority: 5, addons: [link])
        let warning = try #require(Resolver(groups: [group]).resolve(Self.service, phase: .runtime).warnings.only)
        #expect(warning.hasPrefix("Group 'needs-db'"))
        #expect(warning.contains("missing-db"))
    }

    @Test("unmatchedRestrictions reports a restricted group that applies to no workload")
    func unmatchedRestrictionReported() throws {
        let groups = [
            Fixture.group("for-ghost", priority: 1, restrictions: Fixture.restricted(objects: [.init(id: "ghost", type: .service)])),
            Fixture.group("for-backend", priority: 1, restrictions: Fixture.restricted(tags: ["backend"])),
            Fixture.group("unrestricted", priority: 1),
        ]
        let warnings = ProjectDiagnostics.unmatchedRestrictions(groups: groups, workloads: [Self.service, Fixture.workload("worker", kind: .job)])
        let warning = try #require(warnings.only)
        #expect(warning.contains("for-ghost"))
    }

    @Test("unmatchedRestrictions reports a restricted group with nothing listed, and every restricted group when there are no workloads")
    func unmatchedRestrictionEdgeCases() {
        let empty = Fixture.group("lists-empty", priority: 1, restrictions: Fixture.restricted())
        let matching = Fixture.group("for-backend", priority: 1, restrictions: Fixture.restricted(tags: ["backend"]))
        let withWorkload = ProjectDiagnostics.unmatchedRestrictions(groups: [matching, empty], workloads: [Self.service])
        #expect(withWorkload.count == 1)
        #expect(withWorkload.first?.contains("lists-empty") == true)
        let none = ProjectDiagnostics.unmatchedRestrictions(groups: [matching, empty], workloads: [])
        #expect(none.count == 2)
    }

    @Test("unmatchedRestrictions is quiet when every restricted group matches some workload")
    func matchedRestrictionIsQuiet() {
        let groups = [
            Fixture.group("for-job", priority: 1, restrictions: Fixture.restricted(objects: [.init(id: "worker", type: .job)])),
            Fixture.group("for-stage", priority: 1, restrictions: Fixture.restricted(stageIds: ["prod"])),
        ]
        let workloads = [Fixture.workload("worker", kind: .job), Fixture.workload("web", stageId: "prod")]
        #expect(ProjectDiagnostics.unmatchedRestrictions(groups: groups, workloads: workloads).isEmpty)
    }
}
