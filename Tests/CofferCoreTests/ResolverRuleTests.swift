import Testing

@testable import CofferCore

@Suite("Resolver merge rules")
struct ResolverRuleTests {
    static let service = Fixture.workload("api")

    @Test("higher priority wins each shared key; a key only the lower group has comes from it (manage-secret-groups)")
    func higherPriorityWins() throws {
        let groupA = Fixture.group("group-a", priority: 50, variables: ["KEY_1": "a-one", "KEY_2": "a-two"])
        let groupB = Fixture.group("group-b", priority: 20, variables: ["KEY_1": "b-one", "KEY_2": "b-two", "KEY_3": "b-three"])
        let resolution = Resolver(groups: [groupB, groupA]).resolve(Self.service, phase: .runtime)

        #expect(resolution.environment == ["KEY_1": "a-one", "KEY_2": "a-two", "KEY_3": "b-three"])
        for (key, loser) in [("KEY_1", "b-one"), ("KEY_2", "b-two")] {
            let entry = try #require(resolution.variables[key])
            #expect(entry.source == Fixture.source("group-a", 50))
            #expect(entry.overriding == [.init(value: loser, source: Fixture.source("group-b", 20))])
        }
        let third = try #require(resolution.variables["KEY_3"])
        #expect(third.source == Fixture.source("group-b", 20))
        #expect(third.overriding.isEmpty)
    }

    @Test("Phase.isFed(by:): environment feeds runtime, arguments feeds build, environment-arguments feeds both")
    func phaseFeeding() {
        #expect(Phase.runtime.isFed(by: .environment))
        #expect(!Phase.build.isFed(by: .environment))
        #expect(!Phase.runtime.isFed(by: .arguments))
        #expect(Phase.build.isFed(by: .arguments))
        #expect(Phase.runtime.isFed(by: .environmentArguments))
        #expect(Phase.build.isFed(by: .environmentArguments))
    }

    @Test("candidate groups: a phase only sees the groups whose secretType covers it")
    func candidateGroupsByPhase() {
        let resolver = Resolver(groups: [
            Fixture.group("env-only", .environment, priority: 10, variables: ["FROM_ENV": "e"]),
            Fixture.group("args-only", .arguments, priority: 10, variables: ["FROM_ARGS": "a"]),
            Fixture.group("both", .environmentArguments, priority: 10, variables: ["FROM_BOTH": "b"]),
        ])
        #expect(resolver.resolve(Self.service, phase: .runtime).environment == ["FROM_ENV": "e", "FROM_BOTH": "b"])
        #expect(resolver.resolve(Self.service, phase: .build).environment == ["FROM_ARGS": "a", "FROM_BOTH": "b"])
        #expect(resolver.applicableGroups(for: Self.service, phase: .runtime).map(\.id) == ["both", "env-only"])
        #expect(resolver.applicableGroups(for: Self.service, phase: .build).map(\.id) == ["args-only", "both"])
    }

    @Test("applicable groups come best first: higher priority, then the id that sorts first")
    func applicableOrder() {
        let resolver = Resolver(groups: [
            Fixture.group("gamma", priority: 5),
            Fixture.group("beta", priority: 30),
            Fixture.group("delta", priority: 30),
            Fixture.group("alpha", priority: 5),
        ])
        #expect(resolver.applicableGroups(for: Self.service, phase: .runtime).map(\.id) == ["beta", "delta", "alpha", "gamma"])
    }

    @Test("equal priority: the group whose id sorts first wins, the other is shadowed")
    func tieGoesToFirstId() throws {
        let first = Fixture.group("aaa-group", priority: 40, variables: ["SHARED": "from-a"])
        let second = Fixture.group("zzz-group", priority: 40, variables: ["SHARED": "from-z"])
        for groups in [[first, second], [second, first]] {
            let entry = try #require(Resolver(groups: groups).resolve(Self.service, phase: .runtime).variables["SHARED"])
            #expect(entry.value == "from-a")
            #expect(entry.source.inheritedFrom == "aaa-group")
            #expect(entry.overriding.map(\.source.inheritedFrom) == ["zzz-group"])
        }
    }

    @Test("three shadowed values are listed best first in overriding")
    func overridingBestFirst() throws {
        let groups = [
            Fixture.group("low", priority: 1, variables: ["KEY": "low"]),
            Fixture.group("top", priority: 90, variables: ["KEY": "top"]),
            Fixture.group("mid", priority: 45, variables: ["KEY": "mid"]),
        ]
        let entry = try #require(Resolver(groups: groups).resolve(Self.service, phase: .runtime).variables["KEY"])
        #expect(entry.value == "top")
        #expect(entry.overriding.map(\.value) == ["mid", "low"])
        #expect(entry.overriding.map(\.source.priority) == [45, 1])
    }

    @Test("a workload's runtimeEnvironment overrides every group; the group winner becomes the first overridden")
    func ownRuntimeValuesWin() throws {
        let own = WorkloadValues(runtimeEnvironment: ["KEY": "own"], buildArguments: ["KEY": "own-build"])
        let workload = Fixture.workload("api", values: own)
        let groups = [
            Fixture.group("high", priority: 100, variables: ["KEY": "high"]),
            Fixture.group("low", priority: 3, variables: ["KEY": "low", "OTHER": "other"]),
        ]
        let resolution = Resolver(groups: groups).resolve(workload, phase: .runtime)
        let entry = try #require(resolution.variables["KEY"])
        #expect(entry.value == "own")
        #expect(entry.source == .workload)
        #expect(entry.overriding.map(\.value) == ["high", "low"])
        #expect(entry.overriding.first?.source == Fixture.source("high", 100))
        #expect(resolution.environment["OTHER"] == "other")
    }

    @Test("a workload's buildArguments and buildFiles override every group in the build phase only")
    func ownBuildValuesWin() throws {
        let own = WorkloadValues(buildArguments: ["ARG": "own"], buildFiles: ["/build/file": Fixture.file("own build file")])
        let workload = Fixture.workload("api", values: own)
        let group = Fixture.group(
            "shared",
            priority: 100,
            variables: ["ARG": "group"],
            files: ["/build/file": Fixture.file("group file")]
        )
        let resolver = Resolver(groups: [group])
        let build = resolver.resolve(workload, phase: .build)
        #expect(build.environment == ["ARG": "own"])
        let file = try #require(build.files["/build/file"])
        #expect(file.value == Fixture.file("own build file"))
        #expect(file.source == .workload)
        #expect(file.overriding == [.init(value: Fixture.file("group file"), source: Fixture.source("shared", 100))])

        let runtime = resolver.resolve(workload, phase: .runtime)
        #expect(runtime.environment == ["ARG": "group"])
        #expect(runtime.fileValues == ["/build/file": Fixture.file("group file")])
    }

    @Test("a workload's runtimeFiles override group files at the same path")
    func ownRuntimeFilesWin() throws {
        let workload = Fixture.workload("api", values: WorkloadValues(runtimeFiles: ["/etc/app.conf": Fixture.file("own")]))
        let group = Fixture.group("shared", priority: 70, files: ["/etc/app.conf": Fixture.file("group")])
        let entry = try #require(Resolver(groups: [group]).resolve(workload, phase: .runtime).files["/etc/app.conf"])
        #expect(entry.value == Fixture.file("own"))
        #expect(entry.source == .workload)
        #expect(entry.overriding.map(\.source.inheritedFrom) == ["shared"])
    }
}
