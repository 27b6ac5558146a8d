import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import Testing

/// Change sets on every backend: all operations or none, whichever operation fails; one version per group the set
/// changes, however many operations touch it; consecutive revisions; concurrent sets on the same groups serialised.
@Suite struct StoreChangeSetConformanceTests {
    let demo = Fixtures.demo
    let allow: @Sendable (Int, SecretGroupDefinition?, SecretGroupDefinition?) throws -> Void = { _, _, _ in }

    /// What a change set must leave alone when it fails: every group, every version, every audit entry.
    struct Contents: Equatable {
        var groups: [SecretGroup]
        var versions: [String: [Int]]
        var audit: [Int64]
        var revision: Int64
    }

    func contents(_ store: any SecretStore) async throws -> Contents {
        let groups = try await store.groups(in: demo)
        var versions: [String: [Int]] = [:]
        for id in ["alpha", "beta", "gamma", "delta"] {
            versions[id] = try await store.groupVersions(id: id, in: demo, before: nil, limit: 100)?.versions.map(\.version)
        }
        let audit = try await store.auditEntries(AuditQuery(limit: 1000)).map(\.sequence)
        return Contents(groups: groups, versions: versions, audit: audit, revision: try await store.latestRevision(in: demo))
    }

    /// Groups beta (linking addon `db`) and gamma exist; alpha and delta do not.
    func seeded(_ backend: Backend) async throws -> any SecretStore {
        let store = try await backend.makeStore()
        var beta = Fixtures.definition(name: "Beta", variables: ["B": "1"])
        beta.addonDependencies = [AddonDependency(addonId: "db", keys: [.init(keyName: "HOST", aliases: [])])]
        _ = try await store.putGroup(beta, in: demo, at: .now())
        _ = try await store.putGroup(Fixtures.definition(name: "Gamma", variables: ["G": "1"]), in: demo, at: .now())
        return store
    }

    func operations(failingAt position: Int?) -> [ChangeSetOperation] {
        var patch = SecretGroupPatch(fields: SecretGroupFields())
        patch.fields.priority = 42
        let good: [ChangeSetOperation] = [
            ChangeSetOperation(secretId: "alpha", change: .put(Fixtures.definition(name: "Alpha", variables: ["A": "1"]))),
            ChangeSetOperation(secretId: "beta", change: .patch(patch), expectedVersion: 1),
            ChangeSetOperation(secretId: "beta", change: .unlink(addonId: "db")),
            ChangeSetOperation(secretId: "gamma", change: .delete),
            ChangeSetOperation(secretId: "delta", change: .put(Fixtures.definition(name: "Delta")), expectedVersion: 0),
        ]
        // Each position's failure is one its single route would answer: a version mismatch, a missing group, a link that
        // is not there.
        let failing: [ChangeSetOperation] = [
            ChangeSetOperation(secretId: "alpha", change: .put(Fixtures.definition(name: "Alpha")), expectedVersion: 3),
            ChangeSetOperation(secretId: "beta", change: .patch(patch), expectedVersion: 7),
            ChangeSetOperation(secretId: "beta", change: .unlink(addonId: "cache")),
            ChangeSetOperation(secretId: "delta", change: .delete),
            ChangeSetOperation(secretId: "gamma", change: .put(Fixtures.definition(name: "Gamma")), expectedVersion: 0),
        ]
        guard let position else { return good }
        var operations = good
        operations[position] = failing[position]
        return operations
    }

    @Test(arguments: Backend.allCases)
    func aFailingOperationAtAnyPositionChangesNothing(backend: Backend) async throws {
        let store = try await seeded(backend)
        let before = try await contents(store)
        let codes: [StoreError.Code] = [.versionMismatch, .versionMismatch, .linkNotFound, .groupNotFound, .versionMismatch]
        for position in 0..<5 {
            let failure = await #expect(throws: ChangeSetFailure.self) {
                try await store.applyChangeSet(operations(failingAt: position), in: demo, at: .now(), dryRun: false, authorize: allow)
            }
            #expect(failure?.index == position)
            #expect((failure?.error as? StoreError)?.code == codes[position], "position \(position)")
            #expect(try await contents(store) == before, "position \(position) left the store as it was")
        }
        // Refused by the caller's rule at the last position: nothing either.
        let refusal = await #expect(throws: ChangeSetFailure.self) {
            try await store.applyChangeSet(operations(failingAt: nil), in: demo, at: .now(), dryRun: false) { index, _, _ in
                if index == 4 { throw StoreError(.corrupted, "refused") }
            }
        }
        #expect(refusal?.index == 4)
        #expect(try await contents(store) == before)
    }

    @Test(arguments: Backend.allCases)
    func theWholeSetCommitsWithOneVersionPerGroupAndConsecutiveRevisions(backend: Backend) async throws {
        let store = try await seeded(backend)
        let revisionBefore = try await store.latestRevision(in: demo)
        let dry = try await store.applyChangeSet(operations(failingAt: nil), in: demo, at: .now(), dryRun: true, authorize: allow)
        #expect(dry.revisions == nil)
        #expect(try await store.latestRevision(in: demo) == revisionBefore, "a dry run writes nothing")
        #expect(try await store.group(id: "alpha", in: demo) == nil)

        let outcome = try await store.applyChangeSet(operations(failingAt: nil), in: demo, at: .now(), dryRun: false, authorize: allow)
        #expect(outcome.written == ["alpha", "beta", "gamma", "delta"])
        #expect(dry.written == outcome.written && dry.results == outcome.results, "the dry run said what the real one did")
        #expect(outcome.results.map(\.version) == [1, 2, 2, 2, 1], "beta's two operations make one version; gamma's delete is 2")
        #expect(outcome.results.allSatisfy { $0.changed })
        #expect(outcome.revisions == (revisionBefore + 1)...(revisionBefore + 4))
        #expect(try await store.latestRevision(in: demo) == revisionBefore + 4)
        #expect(outcome.before.map(\.id) == ["beta", "gamma"] && outcome.after.map(\.id) == ["alpha", "beta", "delta"])

        let beta = try #require(try await store.group(id: "beta", in: demo))
        #expect(beta.version == 2 && beta.definition.priority == 42 && beta.definition.addonDependencies.isEmpty)
        #expect(try await store.groupVersions(id: "beta", in: demo, before: nil, limit: 10)?.versions.map(\.version) == [2, 1])
        #expect(try await store.group(id: "gamma", in: demo) == nil)
        #expect(try await store.groupVersions(id: "gamma", in: demo, before: nil, limit: 10)?.versions.map(\.action) == [.delete, .create])
        let entries = try await store.auditEntries(AuditQuery(teamId: "default", projectId: "demo", afterRevision: revisionBefore, limit: 10))
        #expect(entries.map(\.resourceId) == ["alpha", "beta", "gamma", "delta"])
        #expect(entries.map(\.action) == [.create, .update, .delete, .create])
        var verifier = AuditChain.Verifier()
        try verifier.check(try await store.auditEntries(AuditQuery(limit: 1000)))

        // The same definitions again change nothing and record nothing.
        let again = try await store.applyChangeSet(
            [
                ChangeSetOperation(secretId: "alpha", change: .put(Fixtures.definition(name: "Alpha", variables: ["A": "1"]))),
                ChangeSetOperation(secretId: "delta", change: .put(Fixtures.definition(name: "Delta"))),
            ],
            in: demo, at: .now(), dryRun: false, authorize: allow
        )
        #expect(again.written.isEmpty && again.revisions == nil && again.results.allSatisfy { !$0.changed })
        #expect(try await store.latestRevision(in: demo) == revisionBefore + 4)
    }

    @Test(arguments: Backend.allCases)
    func aGroupCreatedAndDeletedInOneSetLeavesNoTrace(backend: Backend) async throws {
        let store = try await seeded(backend)
        let before = try await contents(store)
        let outcome = try await store.applyChangeSet(
            [
                ChangeSetOperation(secretId: "alpha", change: .put(Fixtures.definition(name: "Alpha"))),
                ChangeSetOperation(secretId: "alpha", change: .delete),
            ],
            in: demo, at: .now(), dryRun: false, authorize: allow
        )
        #expect(outcome.written.isEmpty && outcome.results.map(\.version) == [nil, nil])
        #expect(try await contents(store) == before)
    }

    @Test(arguments: Backend.allCases)
    func concurrentSetsOnTheSameGroupsSerialiseAndTheLoserChangesNothing(backend: Backend) async throws {
        let store = try await seeded(backend)
        let rounds = 6
        for round in 0..<rounds {
            let beta = try #require(try await store.group(id: "beta", in: demo)).version
            let gamma = try #require(try await store.group(id: "gamma", in: demo)).version
            let outcomes = await withTaskGroup(of: Result<ChangeSetOutcome, any Error>.self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        do {
                            return .success(try await store.applyChangeSet(
                                [
                                    ChangeSetOperation(
                                        secretId: "beta", change: .put(Fixtures.definition(name: "Beta", variables: ["W": "\(round)-\(writer)"])),
                                        expectedVersion: beta
                                    ),
                                    ChangeSetOperation(
                                        secretId: "gamma", change: .put(Fixtures.definition(name: "Gamma", variables: ["W": "\(round)-\(writer)"])),
                                        expectedVersion: gamma
                                    ),
                                ],
                                in: demo, at: .now(), dryRun: false, authorize: allow
                            ))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var all: [Result<ChangeSetOutcome, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1, "round \(round): exactly one set wins")
            for case .failure(let error) in outcomes {
                let failure = error as? ChangeSetFailure
                #expect(failure?.index == 0 && (failure?.error as? StoreError)?.code == .versionMismatch)
            }
            // Both groups carry the winner's value, each with one more version: never half of each set.
            let betaNow = try #require(try await store.group(id: "beta", in: demo))
            let gammaNow = try #require(try await store.group(id: "gamma", in: demo))
            #expect(betaNow.version == beta + 1 && gammaNow.version == gamma + 1)
            #expect(betaNow.definition.secrets.variables["W"] == gammaNow.definition.secrets.variables["W"])
        }
    }
}
