import CofferCore
import CofferStore
import Foundation
import Testing

/// Create, partial update, delete, listing and preconditions, the same on every backend.
@Suite struct StoreGroupFamilyConformanceTests {
    @Test(arguments: Backend.allCases)
    func createRefusesATakenDerivedId(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let group = try await store.createGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        #expect(group.version == 1)
        let error = await #expect(throws: StoreError.self) {
            try await store.createGroup(Fixtures.definition(name: "EXAMPLE-secret"), in: Fixtures.demo, at: Fixtures.t0)
        }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message == "There is already a secret with the same derived identifier")
    }

    @Test(arguments: Backend.allCases)
    func updateChangesInOneStepAndANoChangeWritesNothing(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        let later = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 5)
        let (updated, outcome) = try await store.updateGroup(id: "example-secret", in: Fixtures.demo, at: later, expectedVersion: 1) {
            var next = $0
            next.priority = 99
            return next
        }
        #expect(outcome == .updated && updated.version == 2 && updated.definition.priority == 99 && updated.updatedAt == later)
        let (same, noChange) = try await store.updateGroup(id: "example-secret", in: Fixtures.demo, at: .now(), expectedVersion: nil) { $0 }
        #expect(noChange == .unchanged && same == updated)
        #expect(try await store.group(id: "example-secret", in: Fixtures.demo) == updated)
    }

    @Test(arguments: Backend.allCases)
    func staleVersionsChangeNothing(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        let stale = await #expect(throws: StoreError.self) {
            try await store.updateGroup(id: "example-secret", in: Fixtures.demo, at: .now(), expectedVersion: 7) { _ in
                Fixtures.definition(variables: [:])
            }
        }
        #expect(stale?.code == .versionMismatch)
        await #expect(throws: StoreError.self) {
            try await store.putGroup(Fixtures.definition(variables: [:]), in: Fixtures.demo, at: .now(), expectedVersion: 2)
        }
        await #expect(throws: StoreError.self) {
            try await store.putGroup(Fixtures.definition(name: "Brand New"), in: Fixtures.demo, at: .now(), expectedVersion: 1)
        }
        await #expect(throws: StoreError.self) { try await store.deleteGroup(id: "example-secret", in: Fixtures.demo, expectedVersion: 3) }
        let unchanged = try await store.group(id: "example-secret", in: Fixtures.demo)
        #expect(unchanged?.version == 1 && unchanged?.definition == Fixtures.definition())
        #expect(try await store.group(id: "brand-new", in: Fixtures.demo) == nil)
        #expect(try await store.deleteGroup(id: "example-secret", in: Fixtures.demo, expectedVersion: 1))
        #expect(try await store.deleteGroup(id: "example-secret", in: Fixtures.demo, expectedVersion: nil) == false)
    }

    @Test(arguments: Backend.allCases)
    func updatingAMissingGroupFails(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: StoreError.self) {
            try await store.updateGroup(id: "nope", in: Fixtures.demo, at: .now(), expectedVersion: nil) { $0 }
        }
        #expect(error?.code == .groupNotFound)
        #expect(error?.message == "Secret 'nope' not found")
    }

    @Test(arguments: Backend.allCases)
    func summariesPageByIdWithCursorsThatSurviveInsertsAndDeletes(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for index in [5, 1, 9, 3, 7] {
            _ = try await store.putGroup(Fixtures.definition(name: "Group \(index)"), in: Fixtures.demo, at: Fixtures.t0)
        }
        let first = try await store.groupSummaries(in: Fixtures.demo, after: nil, offset: 0, limit: 2)
        #expect(first.map(\.id) == ["group-1", "group-3"])
        #expect(first.first?.name == "Group 1" && first.first?.priority == 10 && first.first?.projectId == "demo")
        _ = try await store.putGroup(Fixtures.definition(name: "Group 2"), in: Fixtures.demo, at: Fixtures.t0)
        #expect(try await store.deleteGroup(id: "group-5", in: Fixtures.demo, expectedVersion: nil))
        let second = try await store.groupSummaries(in: Fixtures.demo, after: "group-3", offset: 0, limit: 2)
        #expect(second.map(\.id) == ["group-7", "group-9"])
        #expect(try await store.groupSummaries(in: Fixtures.demo, after: "group-9", offset: 0, limit: 2).isEmpty)
        #expect(try await store.groupSummaries(in: Fixtures.demo, after: nil, offset: 4, limit: 10).map(\.id) == ["group-9"])
    }

    @Test(arguments: Backend.allCases)
    func addonsOfEachKindAreCreatedReadChangedAndDeleted(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let definition = AddonDefinition(
            name: "Example Addon",
            type: "mongodb",
            version: "7.0",
            credentials: ["USERNAME": "admin", "PASSWORD": "pw"]
        )
        let addon = try await store.createAddon(definition, kind: .addon, in: Fixtures.demo, at: Fixtures.t0)
        #expect(addon.id == "example-addon" && addon.availableKeys == ["PASSWORD", "USERNAME"])
        let external = try await store.createAddon(definition, kind: .external, in: Fixtures.demo, at: Fixtures.t0)
        #expect(external.kind == .external)
        await #expect(throws: StoreError.self) { try await store.createAddon(definition, kind: .addon, in: Fixtures.demo, at: Fixtures.t0) }
        #expect(try await store.addon(id: "example-addon", kind: .addon, in: Fixtures.demo) == addon)
        #expect(try await store.addons(kind: .external, in: Fixtures.demo) == [external])

        let rotated = try await store.updateAddon(id: "example-addon", kind: .addon, in: Fixtures.demo, at: .now()) {
            var next = $0
            next.credentials["PASSWORD"] = "rotated"
            return next
        }
        #expect(rotated.version == 2 && rotated.definition.credentials["PASSWORD"] == "rotated")
        #expect(try await store.addon(id: "example-addon", kind: .addon, in: Fixtures.demo) == rotated)
        #expect(try await store.deleteAddon(id: "example-addon", kind: .external, in: Fixtures.demo))
        #expect(try await store.addon(id: "example-addon", kind: .external, in: Fixtures.demo) == nil)
        #expect(try await store.addon(id: "example-addon", kind: .addon, in: Fixtures.demo) == rotated)
        #expect(try await store.deleteAddon(id: "example-addon", kind: .external, in: Fixtures.demo) == false)
    }

    @Test(arguments: Backend.allCases)
    func linkedAddonsCannotBeDeleted(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createAddon(AddonDefinition(name: "Example Addon", type: "mongodb"), kind: .addon, in: Fixtures.demo, at: Fixtures.t0)
        _ = try await store.putGroup(Fixtures.definition(name: "Zeta"), in: Fixtures.demo, at: Fixtures.t0)
        _ = try await store.putGroup(Fixtures.definition(name: "Alpha"), in: Fixtures.demo, at: Fixtures.t0)
        let error = await #expect(throws: StoreError.self) { try await store.deleteAddon(id: "example-addon", kind: .addon, in: Fixtures.demo) }
        #expect(error?.code == .addonInUse)
        #expect(error?.message == "Addon 'example-addon' is linked by secret groups 'alpha', 'zeta'; remove the links first")
        for id in ["alpha", "zeta"] {
            _ = try await store.updateGroup(id: id, in: Fixtures.demo, at: .now(), expectedVersion: nil) { $0.unlinking(addonId: "example-addon") }
        }
        #expect(try await store.deleteAddon(id: "example-addon", kind: .addon, in: Fixtures.demo))
    }

    @Test(arguments: Backend.allCases)
    func deletingAProjectTakesItsAddons(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createAddon(AddonDefinition(name: "Cache", type: "redis"), kind: .addon, in: Fixtures.demo, at: Fixtures.t0)
        #expect(try await store.deleteProject(Fixtures.demo))
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
        #expect(try await store.addons(kind: .addon, in: Fixtures.demo).isEmpty)
    }
}
