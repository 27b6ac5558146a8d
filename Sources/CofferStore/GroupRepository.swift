import CofferCore
import Foundation

/// A project's secret groups. Every write returns only after its change is durable and appends its audit entry
/// (actor from `AuditActor.current`) in the same transaction; a write that changes nothing appends nothing.
public protocol GroupRepository: Sendable {
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
}
