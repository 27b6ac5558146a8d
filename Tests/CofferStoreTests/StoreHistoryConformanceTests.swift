import CofferCore
import CofferStore
import Foundation
import Testing

/// History on every backend: a version per accepted change, numbering that survives a delete and a re-create, rollback,
/// restore, a project back to a moment, retention and key rotation.
@Suite struct StoreHistoryConformanceTests {
    let demo = Fixtures.demo

    func versions(_ store: any SecretStore, _ id: String = "example-secret") async throws -> [GroupVersionInfo] {
        try #require(try await store.groupVersions(id: id, in: demo, before: nil, limit: 100)).versions
    }

    /// A moment strictly after everything written so far, and the clock moved past it.
    func pause() async throws -> Timestamp {
        try await Task.sleep(for: .milliseconds(5))
        let moment = Timestamp.now()
        try await Task.sleep(for: .milliseconds(5))
        return moment
    }

    @Test(arguments: Backend.allCases)
    func everyChangeRecordsOneVersionNumberedAcrossDeleteAndRecreate(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.putGroup(Fixtures.definition(), in: demo, at: .now())
        let (second, _) = try await store.putGroup(Fixtures.definition(variables: ["NODE_ENV": "staging", "NEW": "x"]), in: demo, at: .now())
        #expect(second.version == 2)
        // A PUT that changes nothing records nothing.
        let (same, outcome) = try await store.putGroup(Fixtures.definition(variables: ["NODE_ENV": "staging", "NEW": "x"]), in: demo, at: .now())
        #expect(outcome == .unchanged && same.version == 2)
        #expect(try await store.deleteGroup(id: "example-secret", in: demo, expectedVersion: 2))
        // Re-created under the deleted group's id, it continues the numbering.
        let (recreated, created) = try await store.putGroup(Fixtures.definition(), in: demo, at: .now())
        #expect(created == .created && recreated.version == 4)

        let history = try await versions(store)
        #expect(history.map(\.version) == [4, 3, 2, 1])
        #expect(history.map(\.action) == [.create, .delete, .update, .create])
        #expect(history[2].changedKeys == ["NEW", "NODE_ENV"])
        #expect(history[1].changedKeys == ["/dir/fileName", "NEW", "NODE_ENV", "mount_1"])
        #expect(history.allSatisfy { $0.actor == "system" })
        let page = try #require(try await store.groupVersions(id: "example-secret", in: demo, before: 3, limit: 1))
        #expect(page.versions.map(\.version) == [2] && page.current == 4)

        // The audit log names the version each change recorded.
        let audit = try await store.auditEntries(AuditQuery(resourceType: .secret, resourceId: "example-secret"))
        #expect(audit.map(\.version) == [1, 2, 3, 4])
        #expect(audit.map(\.action) == [.create, .update, .delete, .create])

        // Each version holds the group as it left it; the delete has no content.
        #expect(try await store.groupVersion(id: "example-secret", version: 2, in: demo)?.group == second)
        let deletion = try #require(try await store.groupVersion(id: "example-secret", version: 3, in: demo))
        #expect(deletion.group == nil && deletion.info.action == .delete)
        #expect(try await store.groupVersion(id: "example-secret", version: 5, in: demo) == nil)
        #expect(try await store.groupVersions(id: "never-was", in: demo, before: nil, limit: 10) == nil)
    }

    @Test(arguments: Backend.allCases)
    func rollbackRecordsANewVersionAndRefusesWhatItCannotUse(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let (first, _) = try await store.putGroup(Fixtures.definition(), in: demo, at: .now())
        _ = try await store.putGroup(Fixtures.definition(variables: ["NODE_ENV": "staging"]), in: demo, at: .now())
        let allow: @Sendable (SecretGroup, SecretGroup) throws -> Void = { _, _ in }

        let (rolledBack, outcome) = try await store.rollbackGroup(
            id: "example-secret", toVersion: 1, in: demo, at: .now(), expectedVersion: 2, authorize: allow
        )
        #expect(outcome == .updated && rolledBack.version == 3 && rolledBack.definition == first.definition)
        #expect(rolledBack.createdAt == first.createdAt)
        #expect(try await versions(store).first?.action == .rollback)
        #expect(try await store.auditEntries(AuditQuery(resourceId: "example-secret")).last?.action == .rollback)
        // To the content it has already: nothing.
        let (same, noChange) = try await store.rollbackGroup(
            id: "example-secret", toVersion: 1, in: demo, at: .now(), expectedVersion: nil, authorize: allow
        )
        #expect(noChange == .unchanged && same == rolledBack)

        let missing = await #expect(throws: StoreError.self) {
            try await store.rollbackGroup(id: "example-secret", toVersion: 9, in: demo, at: .now(), expectedVersion: nil, authorize: allow)
        }
        #expect(missing?.code == .versionNotFound && missing?.message == "Version 9 of secret 'example-secret' not found")
        let stale = await #expect(throws: StoreError.self) {
            try await store.rollbackGroup(id: "example-secret", toVersion: 2, in: demo, at: .now(), expectedVersion: 2, authorize: allow)
        }
        #expect(stale?.code == .versionMismatch)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.rollbackGroup(id: "example-secret", toVersion: 2, in: demo, at: .now(), expectedVersion: nil) { _, _ in
                throw Refused()
            }
        }
        #expect(try await store.group(id: "example-secret", in: demo) == rolledBack)
        #expect(try await versions(store).count == 3)

        _ = try await store.deleteGroup(id: "example-secret", in: demo, expectedVersion: nil)
        let deleted = await #expect(throws: StoreError.self) {
            try await store.rollbackGroup(id: "example-secret", toVersion: 1, in: demo, at: .now(), expectedVersion: nil, authorize: allow)
        }
        #expect(deleted?.code == .groupNotFound)
    }

    @Test(arguments: Backend.allCases)
    func restoreBringsADeletedGroupBackAsItsLastVersion(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.putGroup(Fixtures.definition(), in: demo, at: .now())
        let (last, _) = try await store.putGroup(Fixtures.definition(variables: ["LAST": "1"]), in: demo, at: .now())
        let exists = await #expect(throws: StoreError.self) { try await store.restoreGroup(id: "example-secret", in: demo, at: .now()) }
        #expect(exists?.code == .alreadyExists)
        _ = try await store.deleteGroup(id: "example-secret", in: demo, expectedVersion: nil)

        let restored = try await store.restoreGroup(id: "example-secret", in: demo, at: .now())
        #expect(restored.version == 4 && restored.definition == last.definition && restored.createdAt == last.createdAt)
        #expect(try await store.group(id: "example-secret", in: demo) == restored)
        #expect(try await versions(store).map(\.action) == [.restore, .delete, .update, .create])
        #expect(try await store.auditEntries(AuditQuery(resourceId: "example-secret")).last?.action == .restore)

        let never = await #expect(throws: StoreError.self) { try await store.restoreGroup(id: "never-was", in: demo, at: .now()) }
        #expect(never?.code == .groupNotFound)
    }

    @Test(arguments: Backend.allCases)
    func aProjectGoesBackToAMomentInOneWriteOrItsDryRunChangesNothing(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let (a1, _) = try await store.putGroup(Fixtures.definition(name: "Alpha"), in: demo, at: .now())
        let (b1, _) = try await store.putGroup(Fixtures.definition(name: "Beta"), in: demo, at: .now())
        let moment = try await pause()
        _ = try await store.putGroup(Fixtures.definition(name: "Alpha", variables: ["CHANGED": "yes"]), in: demo, at: .now())
        _ = try await store.deleteGroup(id: "beta", in: demo, expectedVersion: nil)
        _ = try await store.putGroup(Fixtures.definition(name: "Gamma"), in: demo, at: .now())

        #expect(try await store.groups(in: demo, asOf: moment) == [a1, b1])
        let now = try await store.groups(in: demo)
        let plan = try await store.restoreProject(demo, asOf: moment, at: .now(), dryRun: true)
        #expect(plan.dryRun && plan.steps.map(\.secretId) == ["alpha", "beta", "gamma"])
        #expect(plan.steps.map(\.action) == [.rollback, .restore, .delete])
        #expect(plan.steps.map(\.version) == [3, 3, 2])
        #expect(plan.steps[0].changedKeys == ["CHANGED", "NODE_ENV"] && plan.steps[0].asOfVersion == 1 && plan.steps[0].fromVersion == 2)
        #expect(try await store.groups(in: demo) == now, "a dry run changes nothing")

        let applied = try await store.restoreProject(demo, asOf: moment, at: .now(), dryRun: false)
        #expect(!applied.dryRun && applied.steps.map(\.action) == plan.steps.map(\.action))
        let after = try await store.groups(in: demo)
        #expect(after.map(\.id) == ["alpha", "beta"])
        #expect(after.map(\.definition) == [a1.definition, b1.definition])
        #expect(after.map(\.version) == [3, 3])
        #expect(try await versions(store, "gamma").map(\.action) == [.delete, .create])
        // Restoring to the same moment again finds nothing to do.
        #expect(try await store.restoreProject(demo, asOf: moment, at: .now(), dryRun: false).steps.isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func retentionDropsOldVersionsButKeepsWhatADeletedGroupRestoresTo(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for value in 1...5 { _ = try await store.putGroup(Fixtures.definition(variables: ["N": "\(value)"]), in: demo, at: .now()) }
        _ = try await store.putGroup(Fixtures.definition(name: "Gone"), in: demo, at: .now())
        _ = try await store.putGroup(Fixtures.definition(name: "Gone", variables: ["N": "2"]), in: demo, at: .now())
        _ = try await store.deleteGroup(id: "gone", in: demo, expectedVersion: nil)
        let beforePrune = try await pause()

        // Two at a time: batches until one comes back short.
        var dropped = 0
        while true {
            let count = try await store.pruneHistory(keepVersions: 2, deletedBefore: Fixtures.t0, limit: 2)
            dropped += count
            if count < 2 { break }
        }
        #expect(dropped == 3)
        #expect(try await versions(store).map(\.version) == [5, 4])
        // The delete does not count: the two versions before it stay, so the group can still be restored.
        #expect(try await versions(store, "gone").map(\.version) == [3, 2, 1])
        #expect(try await store.pruneHistory(keepVersions: 2, deletedBefore: Fixtures.t0, limit: 100) == 0)
        // Asking for a moment before the oldest kept version is refused, naming the group.
        let unknown = await #expect(throws: StoreError.self) {
            try await store.groups(in: self.demo, asOf: Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 1))
        }
        #expect(unknown?.code == .historyNotKept && unknown?.message.contains("'example-secret'") == true)

        // Past `keep-deleted`, a deleted group's history goes whole; a live group's stays.
        #expect(try await store.pruneHistory(keepVersions: 2, deletedBefore: beforePrune, limit: 100) == 3)
        #expect(try await store.groupVersions(id: "gone", in: demo, before: nil, limit: 10) == nil)
        #expect(try await versions(store).map(\.version) == [5, 4])
        #expect(try await store.group(id: "example-secret", in: demo)?.version == 5)
    }

    @Test(arguments: Backend.allCases)
    func historySurvivesDataKeyRotationAndGoesWithItsProject(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let driver = try #require(store as? any StoreDriver)
        let (first, _) = try await store.putGroup(Fixtures.definition(), in: demo, at: .now())
        _ = try await store.putGroup(Fixtures.definition(variables: ["NODE_ENV": "staging"]), in: demo, at: .now())
        _ = try await store.deleteGroup(id: "example-secret", in: demo, expectedVersion: nil)

        let summaries = try await driver.rotateDataKeys(in: demo, batchSize: 1)
        // No group is left, so only the versions were re-sealed, and the old key went once none used it.
        #expect(summaries.first?.resealed == 2 && summaries.first?.deletedKeys == 1)
        #expect(try await store.groupVersion(id: "example-secret", version: 1, in: demo)?.group == first)
        #expect(try await store.restoreGroup(id: "example-secret", in: demo, at: .now()).version == 4)

        #expect(try await store.deleteProject(demo))
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        #expect(try await store.groupVersions(id: "example-secret", in: demo, before: nil, limit: 10) == nil)
        #expect(try await store.putGroup(Fixtures.definition(), in: demo, at: .now()).0.version == 1)
    }
}
