import CofferCore
import Foundation

/// Where Coffer keeps teams, tokens, projects and secret groups. Every backend (in-memory, SQLite, PostgreSQL) passes
/// the same conformance suite; a method returns only after its change is durable.
public protocol SecretStore: Sendable {
    /// The backend's name as `GET /v1/health` reports it (`memory`, `sqlite`, `postgres`).
    var kind: String { get }

    // MARK: Teams and tokens

    /// Whether the store has no team yet (a fresh store that needs bootstrapping).
    func isEmpty() async throws -> Bool
    /// Creates a team and its first token atomically; `alreadyExists` if the team exists.
    func bootstrap(team: Team, token: Token) async throws
    /// The token with this hash, usable or not.
    func token(hash: Data) async throws -> Token?
    /// Stores a new token; `alreadyExists` if its id or hash is taken, `teamNotFound` without its team.
    func createToken(_ token: Token) async throws
    /// The team's tokens, revoked and expired ones included, ordered by creation then id.
    func tokens(team teamId: String) async throws -> [Token]
    /// Marks a token revoked (a revoked token keeps its first revocation time); nil if the team has no such token.
    func revokeToken(id: String, team teamId: String, at now: Timestamp) async throws -> Token?

    // MARK: Audit

    /// Entries matching `query`, in sequence order. Every write of this protocol appends its entry (actor from
    /// `AuditActor.current`) in the same transaction as the change; a write that changes nothing appends nothing.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]

    // MARK: Projects

    /// Creates a project; `alreadyExists` if its derived id is taken in the team.
    func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project
    /// The team's projects ordered by id.
    func projects(team teamId: String) async throws -> [Project]
    func project(_ scope: ProjectScope) async throws -> Project?
    /// Deletes a project with everything in it; false if there was none.
    func deleteProject(_ scope: ProjectScope) async throws -> Bool

    // MARK: Secret groups

    /// Creates the group with the definition's derived id, or replaces its definition; `projectNotFound` if the
    /// project does not exist. Writes to one group are serialised, so concurrent PUTs of one new name both succeed.
    /// With `expectedVersion`, an existing group must be at that version (`versionMismatch` otherwise); 0 means the
    /// group must not exist yet.
    func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (SecretGroup, WriteOutcome)
    /// Creates a group; `alreadyExists` if its derived id is taken.
    func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup
    /// Reads, changes and writes one group in one transaction (`groupNotFound`, `versionMismatch`); a change that
    /// leaves the definition equal writes nothing.
    func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) async throws -> (SecretGroup, WriteOutcome)
    /// Deletes a group; false if there was none.
    func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool
    /// The group with this id, values opened.
    func group(id: String, in scope: ProjectScope) async throws -> SecretGroup?
    /// Every group of the project ordered by id, values opened (what resolution works from).
    func groups(in scope: ProjectScope) async throws -> [SecretGroup]
    /// Up to `limit` summaries ordered by id, starting after the id `after` (a cursor) or at `offset`.
    func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) async throws -> [SecretGroupSummary]

    // MARK: Addons

    /// Creates an addon; `alreadyExists` if its derived id is taken among addons of its kind.
    func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon
    /// The project's addons of one kind ordered by id, credentials opened.
    func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon]
    func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon?
    /// Reads, changes and writes one addon in one transaction (`addonNotFound`).
    func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) async throws -> Addon
    /// Deletes an addon; `addonInUse` naming the linking groups while any group links it; false if there was none.
    func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool

    // MARK: Workloads

    /// Creates a service or job; `alreadyExists` if its derived id is taken among workloads of its kind.
    func createWorkload(_ definition: WorkloadDefinition, kind: WorkloadKind, in scope: ProjectScope, at now: Timestamp) async throws -> Workload
    /// The project's workloads (of one kind, or all when `kind` is nil) ordered by kind then id, values opened.
    func workloads(kind: WorkloadKind?, in scope: ProjectScope) async throws -> [Workload]
    func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Workload?
    /// Reads, changes and writes one workload in one transaction (`workloadNotFound`).
    func updateWorkload(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (WorkloadDefinition) throws -> WorkloadDefinition
    ) async throws -> Workload
    /// Deletes a workload; false if there was none.
    func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool
}

extension SecretStore {
    /// PUT without a version precondition.
    public func putGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> (SecretGroup, WriteOutcome) {
        try await putGroup(definition, in: scope, at: now, expectedVersion: nil)
    }
}
