import Testing

@testable import CofferCore

@Suite("Resolver files, mounts and scope")
struct ResolverFileAndScopeTests {
    static let service = Fixture.workload("api")

    @Test("files resolve by path like variables: higher priority wins a path, other paths pass through")
    func filesResolveByPath() throws {
        let high = Fixture.group("high", priority: 60, files: ["/etc/shared": Fixture.file("high"), "/etc/high-only": Fixture.file("h")])
        let low = Fixture.group("low", priority: 10, files: ["/etc/shared": Fixture.file("low"), "/etc/low-only": Fixture.file("l")])
        let resolution = Resolver(groups: [low, high]).resolve(Self.service, phase: .runtime)
        #expect(
            resolution.fileValues == [
                "/etc/shared": Fixture.file("high"), "/etc/high-only": Fixture.file("h"), "/etc/low-only": Fixture.file("l"),
            ]
        )
        let shared = try #require(resolution.files["/etc/shared"])
        #expect(shared.source == Fixture.source("high", 60))
        #expect(shared.overriding == [.init(value: Fixture.file("low"), source: Fixture.source("low", 10))])
        #expect(resolution.files["/etc/low-only"]?.source == Fixture.source("low", 10))
    }

    @Test("docker secret mounts resolve in the build phase only; a runtime resolution has none")
    func mountsOnlyInBuild() throws {
        let high = Fixture.group("high", priority: 60, mounts: ["npm-token": Fixture.file("high")])
        let low = Fixture.group("low", priority: 10, mounts: ["npm-token": Fixture.file("low"), "pip-conf": Fixture.file("pip")])
        let resolver = Resolver(groups: [low, high])

        #expect(resolver.resolve(Self.service, phase: .runtime).dockerSecretMounts.isEmpty)
        let build = resolver.resolve(Self.service, phase: .build)
        #expect(build.dockerSecretMountValues == ["npm-token": Fixture.file("high"), "pip-conf": Fixture.file("pip")])
        let mount = try #require(build.dockerSecretMounts["npm-token"])
        #expect(mount.source == Fixture.source("high", 60))
        #expect(mount.overriding.map(\.source.inheritedFrom) == ["low"])
    }

    @Test("an environment-only group's mounts never reach the build phase")
    func environmentGroupMountsIgnored() {
        let group = Fixture.group("runtime-only", .environment, priority: 60, mounts: ["npm-token": Fixture.file("x")])
        let resolver = Resolver(groups: [group])
        #expect(resolver.resolve(Self.service, phase: .build).dockerSecretMounts.isEmpty)
        #expect(resolver.resolve(Self.service, phase: .runtime).dockerSecretMounts.isEmpty)
    }

    static let scoped = Fixture.workload(
        "api",
        values: WorkloadValues(runtimeEnvironment: ["SHARED": "own", "OWN_ONLY": "own"], runtimeFiles: ["/own": Fixture.file("own")])
    )
    static let scopedResolver = Resolver(groups: [
        Fixture.group(
            "shared",
            priority: 50,
            variables: ["SHARED": "group", "GROUP_ONLY": "group"],
            files: ["/own": Fixture.file("group"), "/group": Fixture.file("group")]
        )
    ])

    @Test("scope this: only the workload's own values, with no group sources")
    func scopeThis() {
        let resolution = Self.scopedResolver.resolve(Self.scoped, phase: .runtime, scope: .this)
        #expect(resolution.environment == ["SHARED": "own", "OWN_ONLY": "own"])
        #expect(resolution.fileValues == ["/own": Fixture.file("own")])
        #expect(resolution.variables.values.allSatisfy { $0.source == .workload && $0.overriding.isEmpty })
    }

    @Test("scope inherited: only values from groups, as if the workload defined nothing")
    func scopeInherited() {
        let resolution = Self.scopedResolver.resolve(Self.scoped, phase: .runtime, scope: .inherited)
        #expect(resolution.environment == ["SHARED": "group", "GROUP_ONLY": "group"])
        #expect(resolution.fileValues == ["/own": Fixture.file("group"), "/group": Fixture.file("group")])
        #expect(resolution.variables.values.allSatisfy { $0.source.inheritedFrom == "shared" })
    }

    @Test("scope all (the default): groups merged under the workload's own values")
    func scopeAll() {
        let resolution = Self.scopedResolver.resolve(Self.scoped, phase: .runtime)
        #expect(resolution == Self.scopedResolver.resolve(Self.scoped, phase: .runtime, scope: .all))
        #expect(resolution.environment == ["SHARED": "own", "OWN_ONLY": "own", "GROUP_ONLY": "group"])
        #expect(resolution.fileValues == ["/own": Fixture.file("own"), "/group": Fixture.file("group")])
        #expect(resolution.variables["SHARED"]?.overriding.map(\.value) == ["group"])
    }

    @Test("a restricted group that does not apply to the workload contributes nothing")
    func inapplicableGroupContributesNothing() {
        let group = Fixture.group("elsewhere", priority: 99, restrictions: Fixture.restricted(stageIds: ["prod"]), variables: ["KEY": "x"])
        #expect(Resolver(groups: [group]).resolve(Self.service, phase: .runtime).variables.isEmpty)
    }
}
