import CofferCore
import CofferStore
import Foundation

/// The store as the server uses it: every call passes through, and every write to a project updates the cached
/// snapshot once the write has committed: the written group, addon or workload is folded in, a deletion drops the
/// snapshot, and a failed write drops it too (dropping a cache is always safe). Whether a project exists is answered
/// from the cache.
struct InvalidatingStore: SecretStore {
    let base: any SecretStore
    let snapshots: ProjectSnapshots
    /// Woken after every write to a project, whatever its outcome (a waiter re-reads; a spurious wake costs a read).
    let changes: ChangeHub

    var kind: String { base.kind }

    /// Runs a write and then invalidates `scope`, whatever the outcome.
    private func write<Result>(_ scope: ProjectScope, _ body: () async throws -> Result) async throws -> Result {
        defer {
            snapshots.invalidate(scope)
            changes.changed(scope)
        }
        return try await body()
    }

    /// Runs a write and folds what it wrote into the cached snapshot; on failure, drops the snapshot.
    private func write<Result>(
        _ scope: ProjectScope,
        change: (Result) -> ProjectSnapshot.Change,
        _ body: () async throws -> Result
    ) async throws -> Result {
        defer { changes.changed(scope) }
        do {
            let result = try await body()
            snapshots.apply(change(result), to: scope)
            return result
        } catch {
            snapshots.invalidate(scope)
            throw error
        }
    }

    func isEmpty() async throws -> Bool { try await base.isEmpty() }
    func bootstrap(team: Team, token: Token) async throws { try await base.bootstrap(team: team, token: token) }
    func token(hash: Data) async throws -> Token? { try await base.token(hash: hash) }
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] { try await base.auditEntries(query) }
    func latestRevision(in scope: ProjectScope) async throws -> Int64 { try await base.latestRevision(in: scope) }
    func createToken(_ token: Token) async throws { try await base.createToken(token) }
    func tokens(team teamId: String) async throws -> [Token] { try await base.tokens(team: teamId) }
    func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token? {
        try await base.revokeToken(id: id, team: teamId, at: now)
    }

    func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project {
        defer { snapshots.forgetProject(ProjectScope(team: teamId, project: definition.id)) }
        return try await base.createProject(definition, team: teamId, at: now)
    }

    func projects(team teamId: String) async throws -> [Project] { try await base.projects(team: teamId) }
    func project(_ scope: ProjectScope) async throws -> Project? { try await snapshots.project(scope) }

    func deleteProject(_ scope: ProjectScope) async throws -> Bool {
        defer {
            snapshots.forgetProject(scope)
            changes.changed(scope)
        }
        return try await base.deleteProject(scope)
    }

    func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (SecretGroup, WriteOutcome) {
        try await write(scope, change: { .group($0.0) }) { try await base.putGroup(definition, in: scope, at: now, expectedVersion: expectedVersion) }
    }

    func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        try await write(scope, change: { .group($0) }) { try await base.createGroup(definition, in: scope, at: now) }
    }

    func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) async throws -> (SecretGroup, WriteOutcome) {
        try await write(scope, change: { .group($0.0) }) {
            try await base.updateGroup(id: id, in: scope, at: now, expectedVersion: expectedVersion, change: change)
        }
    }

    func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        try await write(scope) { try await base.deleteGroup(id: id, in: scope, expectedVersion: expectedVersion) }
    }

    func group(id: String, in scope: ProjectScope) async throws -> SecretGroup? { try await base.group(id: id, in: scope) }
    func groups(in scope: ProjectScope) async throws -> [SecretGroup] { try await base.groups(in: scope) }

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
        try await write(scope, change: { .group($0.0) }) {
            try await base.rollbackGroup(id: id, toVersion: version, in: scope, at: now, expectedVersion: expectedVersion, authorize: authorize)
        }
    }

    func restoreGroup(id: String, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        try await write(scope, change: { .group($0) }) { try await base.restoreGroup(id: id, in: scope, at: now) }
    }

    func groups(in scope: ProjectScope, asOf: Timestamp) async throws -> [SecretGroup] { try await base.groups(in: scope, asOf: asOf) }

    func restoreProject(_ scope: ProjectScope, asOf: Timestamp, at now: Timestamp, dryRun: Bool) async throws -> ProjectRestorePlan {
        try await write(scope) { try await base.restoreProject(scope, asOf: asOf, at: now, dryRun: dryRun) }
    }

    func applyChangeSet(
        _ operations: [ChangeSetOperation],
        in scope: ProjectScope,
        at now: Timestamp,
        dryRun: Bool,
        authorize: @escaping @Sendable (Int, SecretGroupDefinition?, SecretGroupDefinition?) throws -> Void
    ) async throws -> ChangeSetOutcome {
        guard !dryRun else { return try await base.applyChangeSet(operations, in: scope, at: now, dryRun: true, authorize: authorize) }
        return try await write(scope) { try await base.applyChangeSet(operations, in: scope, at: now, dryRun: false, authorize: authorize) }
    }

    /// Dropped versions may be cached answers of any project's snapshot: they all go.
    func pruneHistory(keepVersions: Int, deletedBefore: Timestamp, limit: Int) async throws -> Int {
        let dropped = try await base.pruneHistory(keepVersions: keepVersions, deletedBefore: deletedBefore, limit: limit)
        if dropped > 0 { snapshots.invalidateAll() }
        return dropped
    }

    func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon {
        try await write(scope, change: { .addon($0) }) { try await base.createAddon(definition, kind: kind, in: scope, at: now) }
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
        try await write(scope, change: { .addon($0) }) { try await base.updateAddon(id: id, kind: kind, in: scope, at: now, change: change) }
    }

    func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool {
        try await write(scope) { try await base.deleteAddon(id: id, kind: kind, in: scope) }
    }

    func createWorkload(_ definition: WorkloadDefinition, kind: WorkloadKind, in scope: ProjectScope, at now: Timestamp) async throws -> Workload {
        try await write(scope, change: { .workload($0) }) { try await base.createWorkload(definition, kind: kind, in: scope, at: now) }
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
        try await write(scope, change: { .workload($0) }) { try await base.updateWorkload(id: id, kind: kind, in: scope, at: now, change: change) }
    }

    func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool {
        try await write(scope) { try await base.deleteWorkload(id: id, kind: kind, in: scope) }
    }
}
