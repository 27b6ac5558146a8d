import CofferCore
import CofferStore
import Foundation
import Synchronization
import Testing

@testable import CofferServer

/// The server's snapshot cache: one load per miss however many requests wait, writes folded in by version, and
/// nothing stale kept.
@Suite struct ProjectSnapshotsTests {
    static let scope = ProjectScope(team: "default", project: "demo")

    static func definition(_ name: String, _ value: String) -> SecretGroupDefinition {
        SecretGroupDefinition(name: name, secretType: .environment, priority: 1, secrets: SecretValues(variables: ["K": value]))
    }

    static func seeded() async throws -> (MemoryStore, ProjectSnapshots) {
        let store = MemoryStore()
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        _ = try await store.putGroup(definition("Alpha", "1"), in: scope, at: .now())
        return (store, ProjectSnapshots(store: SlowCountingStore(base: store)))
    }

    @Test func concurrentMissesLoadTheProjectOnce() async throws {
        let (store, snapshots) = try await Self.seeded()
        let counting = try #require(snapshots.store as? SlowCountingStore)
        // A slow load, so every request arrives while it is in flight.
        counting.delay.withLock { $0 = .milliseconds(100) }
        let results = try await withThrowingTaskGroup(of: ProjectSnapshot.self) { group in
            for _ in 0..<32 { group.addTask { try await snapshots.snapshot(of: Self.scope) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 32)
        #expect(Set(results.map(ObjectIdentifier.init)).count == 1)
        #expect(counting.groupLoads.withLock { $0 } == 1)
        _ = store
    }

    @Test func writesAreFoldedInByVersionAndDeletionsDropTheSnapshot() async throws {
        let (store, snapshots) = try await Self.seeded()
        let counting = try #require(snapshots.store as? SlowCountingStore)
        _ = try await snapshots.snapshot(of: Self.scope)
        let (v2, _) = try await store.putGroup(Self.definition("Alpha", "2"), in: Self.scope, at: .now())
        let (v3, _) = try await store.putGroup(Self.definition("Alpha", "3"), in: Self.scope, at: .now())
        // Reported out of commit order: the newer version stays.
        snapshots.apply(.group(v3), to: Self.scope)
        snapshots.apply(.group(v2), to: Self.scope)
        let (beta, _) = try await store.putGroup(Self.definition("Beta", "b"), in: Self.scope, at: .now())
        snapshots.apply(.group(beta), to: Self.scope)
        let folded = try await snapshots.snapshot(of: Self.scope)
        #expect(folded.group(id: "alpha")?.definition.secrets.variables == ["K": "3"])
        #expect(folded.groups.map(\.id) == ["alpha", "beta"])
        #expect(counting.groupLoads.withLock { $0 } == 1, "folding a write needs no reload")

        _ = try await store.deleteGroup(id: "beta", in: Self.scope, expectedVersion: nil)
        snapshots.invalidate(Self.scope)
        #expect(try await snapshots.snapshot(of: Self.scope).group(id: "beta") == nil)
        #expect(counting.groupLoads.withLock { $0 } == 2)
    }

    @Test func queuedWritesAreFoldedByTheNextReadAsOneNewSnapshot() async throws {
        let (store, snapshots) = try await Self.seeded()
        let before = try await snapshots.snapshot(of: Self.scope)
        var written: [SecretGroup] = []
        for index in 0..<10 {
            let (group, _) = try await store.putGroup(Self.definition("Group \(index)", "\(index)"), in: Self.scope, at: .now())
            written.append(group)
            snapshots.apply(.group(group), to: Self.scope)
        }
        // Nothing is rebuilt while writes queue; the read that follows folds all ten at once and keeps the result.
        let folded = try await snapshots.snapshot(of: Self.scope)
        #expect(folded !== before)
        #expect(folded.groups.map(\.id) == ["alpha"] + written.map(\.id).sorted())
        #expect(try await snapshots.snapshot(of: Self.scope) === folded)
        #expect(before.groups.map(\.id) == ["alpha"], "a snapshot never changes once made")

        // Past the queue's capacity the write that reaches it folds the queue itself.
        for index in 0..<snapshots.pendingCapacity {
            let (group, _) = try await store.putGroup(Self.definition("Alpha", "v\(index)"), in: Self.scope, at: .now())
            snapshots.apply(.group(group), to: Self.scope)
        }
        let last = try await snapshots.snapshot(of: Self.scope)
        #expect(last.group(id: "alpha")?.definition.secrets.variables == ["K": "v\(snapshots.pendingCapacity - 1)"])
        #expect(last.group(id: "alpha")?.version == snapshots.pendingCapacity + 1)
    }

    @Test func readsFoldingWhileWritesLandMissNoWrite() async throws {
        let (store, snapshots) = try await Self.seeded()
        _ = try await snapshots.snapshot(of: Self.scope)
        // Writers queue results while readers fold them, each fold racing the next write: the final read must hold every
        // write, whichever fold was kept.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let (written, _) = try await store.putGroup(Self.definition("Group \(index)", "x"), in: Self.scope, at: .now())
                    snapshots.apply(.group(written), to: Self.scope)
                }
                group.addTask { _ = try await snapshots.snapshot(of: Self.scope) }
            }
            try await group.waitForAll()
        }
        let final = try await snapshots.snapshot(of: Self.scope)
        #expect(final.groups.count == 201)
        #expect(final.groups.map(\.id) == final.groups.map(\.id).sorted())
    }

    @Test func aLoadThatOverlapsAWriteIsUsedButNotKept() async throws {
        let (store, snapshots) = try await Self.seeded()
        let counting = try #require(snapshots.store as? SlowCountingStore)
        counting.delay.withLock { $0 = .milliseconds(200) }
        async let first = snapshots.snapshot(of: Self.scope)
        try await Task.sleep(for: .milliseconds(50))
        // A write commits while the load is in flight; the cached snapshot had nothing to fold it into.
        let (v2, _) = try await store.putGroup(Self.definition("Alpha", "2"), in: Self.scope, at: .now())
        snapshots.apply(.group(v2), to: Self.scope)
        _ = try await first
        counting.delay.withLock { $0 = .zero }
        #expect(try await snapshots.snapshot(of: Self.scope).group(id: "alpha")?.definition.secrets.variables == ["K": "2"])
        #expect(counting.groupLoads.withLock { $0 } == 2)
    }

    @Test func pagesComeFromTheSnapshotInIdOrder() async throws {
        let (store, snapshots) = try await Self.seeded()
        for name in ["Delta", "Charlie", "Beta"] { _ = try await store.putGroup(Self.definition(name, "x"), in: Self.scope, at: .now()) }
        let snapshot = try await snapshots.snapshot(of: Self.scope)
        #expect(snapshot.groups(after: nil, offset: 0, limit: 2).map(\.id) == ["alpha", "beta"])
        #expect(snapshot.groups(after: "beta", offset: 0, limit: 2).map(\.id) == ["charlie", "delta"])
        #expect(snapshot.groups(after: "bz", offset: 0, limit: 9).map(\.id) == ["charlie", "delta"])
        #expect(snapshot.groups(after: nil, offset: 3, limit: 9).map(\.id) == ["delta"])
        #expect(snapshot.groups(after: nil, offset: 9, limit: 9).isEmpty)
    }
}

/// Passes everything to a memory store, counting (and optionally delaying) the reads a snapshot load makes.
final class SlowCountingStore: SecretStore {
    let base: MemoryStore
    let groupLoads = Mutex(0)
    let delay = Mutex(Duration.zero)

    init(base: MemoryStore) {
        self.base = base
    }

    var kind: String { base.kind }
    func isEmpty() async throws -> Bool { try await base.isEmpty() }
    func bootstrap(team: Team, token: Token) async throws { try await base.bootstrap(team: team, token: token) }
    func token(hash: Data) async throws -> Token? { try await base.token(hash: hash) }
    func createToken(_ token: Token) async throws { try await base.createToken(token) }
    func tokens(team teamId: String) async throws -> [Token] { try await base.tokens(team: teamId) }
    func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token? {
        try await base.revokeToken(id: id, team: teamId, at: now)
    }
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] { try await base.auditEntries(query) }
    func latestRevision(in scope: ProjectScope) async throws -> Int64 { try await base.latestRevision(in: scope) }
    func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project {
        try await base.createProject(definition, team: teamId, at: now)
    }
    func projects(team teamId: String) async throws -> [Project] { try await base.projects(team: teamId) }
    func project(_ scope: ProjectScope) async throws -> Project? { try await base.project(scope) }
    func deleteProject(_ scope: ProjectScope) async throws -> Bool { try await base.deleteProject(scope) }
    func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (
        SecretGroup, WriteOutcome
    ) {
        try await base.putGroup(definition, in: scope, at: now, expectedVersion: expectedVersion)
    }
    func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        try await base.createGroup(definition, in: scope, at: now)
    }
    func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) async throws -> (SecretGroup, WriteOutcome) {
        try await base.updateGroup(id: id, in: scope, at: now, expectedVersion: expectedVersion, change: change)
    }
    func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        try await base.deleteGroup(id: id, in: scope, expectedVersion: expectedVersion)
    }
    func group(id: String, in scope: ProjectScope) async throws -> SecretGroup? { try await base.group(id: id, in: scope) }
    func groups(in scope: ProjectScope) async throws -> [SecretGroup] {
        groupLoads.withLock { $0 += 1 }
        let pause = delay.withLock { $0 }
        if pause > .zero { try await Task.sleep(for: pause) }
        return try await base.groups(in: scope)
    }
    func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) async throws -> [SecretGroupSummary] {
        try await base.groupSummaries(in: scope, after: after, offset: offset, limit: limit)
    }
    func groupVersions(id: String, in scope: ProjectScope, before: Int?, limit: Int) async throws -> GroupVersionPage? {
        try await base.groupVersions(id: id, in: scope, before: before, limit: limit)
    }
    func groupVersion(id: String, version: Int, in scope: ProjectScope) async throws -> GroupVersion? {
        try await base.groupVersion(id: id, version: version, in: scope)
    }
    func rollbackGroup(
        id: String,
        toVersion version: Int,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        authorize: @escaping @Sendable (SecretGroup, SecretGroup) throws -> Void
    ) async throws -> (SecretGroup, WriteOutcome) {
        try await base.rollbackGroup(id: id, toVersion: version, in: scope, at: now, expectedVersion: expectedVersion, authorize: authorize)
    }
    func restoreGroup(id: String, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        try await base.restoreGroup(id: id, in: scope, at: now)
    }
    func groups(in scope: ProjectScope, asOf: Timestamp) async throws -> [SecretGroup] { try await base.groups(in: scope, asOf: asOf) }
    func restoreProject(_ scope: ProjectScope, asOf: Timestamp, at now: Timestamp, dryRun: Bool) async throws -> ProjectRestorePlan {
        try await base.restoreProject(scope, asOf: asOf, at: now, dryRun: dryRun)
    }
    func applyChangeSet(
        _ operations: [ChangeSetOperation],
        in scope: ProjectScope,
        at now: Timestamp,
        dryRun: Bool,
        authorize: @escaping @Sendable (Int, SecretGroupDefinition?, SecretGroupDefinition?) throws -> Void
    ) async throws -> ChangeSetOutcome {
        try await base.applyChangeSet(operations, in: scope, at: now, dryRun: dryRun, authorize: authorize)
    }
    func pruneHistory(keepVersions: Int, deletedBefore: Timestamp, limit: Int) async throws -> Int {
        try await base.pruneHistory(keepVersions: keepVersions, deletedBefore: deletedBefore, limit: limit)
    }
    func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon {
        try await base.createAddon(definition, kind: kind, in: scope, at: now)
    }
    func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon] { try await base.addons(kind: kind, in: scope) }
    func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon? { try await base.addon(id: id, kind: kind, in: scope) }
    func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) async throws -> Addon {
        try await base.updateAddon(id: id, kind: kind, in: scope, at: now, change: change)
    }
    func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool {
        try await base.deleteAddon(id: id, kind: kind, in: scope)
    }
    func createWorkload(_ definition: WorkloadDefinition, kind: WorkloadKind, in scope: ProjectScope, at now: Timestamp) async throws -> Workload {
        try await base.createWorkload(definition, kind: kind, in: scope, at: now)
    }
    func workloads(kind: WorkloadKind?, in scope: ProjectScope) async throws -> [Workload] { try await base.workloads(kind: kind, in: scope) }
    func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Workload? {
        try await base.workload(id: id, kind: kind, in: scope)
    }
    func updateWorkload(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (WorkloadDefinition) throws -> WorkloadDefinition
    ) async throws -> Workload {
        try await base.updateWorkload(id: id, kind: kind, in: scope, at: now, change: change)
    }
    func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool {
        try await base.deleteWorkload(id: id, kind: kind, in: scope)
    }
}
