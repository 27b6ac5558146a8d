import Testing

@testable import CofferCore

@Suite("Restrictions.applies(to:)")
struct RestrictionRuleTests {
    static let service = Fixture.workload("api", kind: .service, tags: ["backend", "eu"], stageId: "prod")
    static let jobWithServiceId = Fixture.workload("api", kind: .job, tags: ["backend", "eu"], stageId: "prod")
    static let bare = Fixture.workload("worker", kind: .job)

    @Test("an unrestricted group applies to every workload, whatever its lists say")
    func unrestrictedAppliesToAll() {
        let restrictions = Restrictions(restricted: false, nfObjects: [.init(id: "other", type: .job)], tags: ["x-y-z"], stageIds: ["dev"])
        for workload in [Self.service, Self.jobWithServiceId, Self.bare] {
            #expect(Restrictions().applies(to: workload))
            #expect(restrictions.applies(to: workload))
        }
    }

    @Test("restricted with all three lists empty applies to nothing")
    func restrictedEmptyAppliesToNothing() {
        for workload in [Self.service, Self.jobWithServiceId, Self.bare] {
            #expect(!Fixture.restricted().applies(to: workload))
            #expect(!Fixture.restricted(match: .and).applies(to: workload))
        }
    }

    @Test("nfObjects match by id and type: a job with the service's id does not match")
    func nfObjectsMatchIdAndType() {
        let restrictions = Fixture.restricted(objects: [.init(id: "api", type: .service)])
        #expect(restrictions.applies(to: Self.service))
        #expect(!restrictions.applies(to: Self.jobWithServiceId))
        #expect(!restrictions.applies(to: Self.bare))
        #expect(Fixture.restricted(objects: [.init(id: "api", type: .job)]).applies(to: Self.jobWithServiceId))
    }

    @Test("tags with or: any one listed tag on the workload is enough")
    func tagsOrMatchesAny() {
        #expect(Fixture.restricted(tags: ["eu", "us"], match: .or).applies(to: Self.service))
        #expect(Fixture.restricted(tags: ["backend"], match: .or).applies(to: Self.service))
        #expect(!Fixture.restricted(tags: ["us", "frontend"], match: .or).applies(to: Self.service))
        #expect(!Fixture.restricted(tags: ["eu"], match: .or).applies(to: Self.bare))
    }

    @Test("tags with and: every listed tag must be on the workload")
    func tagsAndMatchesAll() {
        #expect(Fixture.restricted(tags: ["eu", "backend"], match: .and).applies(to: Self.service))
        #expect(Fixture.restricted(tags: ["eu"], match: .and).applies(to: Self.service))
        #expect(!Fixture.restricted(tags: ["eu", "us"], match: .and).applies(to: Self.service))
        #expect(!Fixture.restricted(tags: ["eu"], match: .and).applies(to: Self.bare))
    }

    @Test("tagMatchCondition defaults to or")
    func tagMatchDefaultsToOr() {
        let restrictions = Restrictions(restricted: true, tags: ["eu", "us"])
        #expect(restrictions.tagMatchCondition == .or)
        #expect(restrictions.applies(to: Self.service))
    }

    @Test("stageIds: the workload's stage must be listed; a workload without a stage never matches")
    func stageIdsMatch() {
        #expect(Fixture.restricted(stageIds: ["dev", "prod"]).applies(to: Self.service))
        #expect(!Fixture.restricted(stageIds: ["dev"]).applies(to: Self.service))
        #expect(!Fixture.restricted(stageIds: ["dev", "prod"]).applies(to: Self.bare))
    }

    @Test("the three lists add up: matching any one of them is enough (union)")
    func listsAreAUnion() {
        let restrictions = Fixture.restricted(
            objects: [.init(id: "worker", type: .job)],
            tags: ["eu", "never-present"],
            match: .and,
            stageIds: ["staging"]
        )
        #expect(restrictions.applies(to: Self.bare))
        #expect(!restrictions.applies(to: Self.service))

        let byTags = Fixture.restricted(objects: [.init(id: "nobody", type: .service)], tags: ["eu"], stageIds: ["staging"])
        #expect(byTags.applies(to: Self.service))
        let byStage = Fixture.restricted(objects: [.init(id: "nobody", type: .service)], tags: ["us"], stageIds: ["prod"])
        #expect(byStage.applies(to: Self.service))
        let byNothing = Fixture.restricted(objects: [.init(id: "nobody", type: .service)], tags: ["us"], stageIds: ["staging"])
        #expect(!byNothing.applies(to: Self.service))
    }

    @Test("the resolver filters groups through the restriction rule")
    func resolverUsesRestrictions() {
        let resolver = Resolver(groups: [
            Fixture.group("for-service", priority: 1, restrictions: Fixture.restricted(objects: [.init(id: "api", type: .service)])),
            Fixture.group("for-job", priority: 1, restrictions: Fixture.restricted(objects: [.init(id: "api", type: .job)])),
            Fixture.group("for-eu", priority: 1, restrictions: Fixture.restricted(tags: ["eu"])),
            Fixture.group("for-nothing", priority: 1, restrictions: Fixture.restricted()),
            Fixture.group("for-all", priority: 1),
        ])
        #expect(resolver.applicableGroups(for: Self.service, phase: .runtime).map(\.id) == ["for-all", "for-eu", "for-service"])
        #expect(resolver.applicableGroups(for: Self.jobWithServiceId, phase: .runtime).map(\.id) == ["for-all", "for-eu", "for-job"])
        #expect(resolver.applicableGroups(for: Self.bare, phase: .runtime).map(\.id) == ["for-all"])
    }
}
