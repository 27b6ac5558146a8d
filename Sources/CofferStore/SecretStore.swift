import CofferCore
import Foundation

/// Where Coffer keeps teams, tokens, projects and secret groups: every narrow repository at once. Every backend
/// (memory, SQLite, PostgreSQL) passes the same conformance suite; a method returns only after its change is durable.
/// A part of the server that needs one kind of record takes that repository alone.
public protocol SecretStore: TokenRepository, AuditRepository, ProjectRepository, GroupRepository, HistoryRepository, ChangeSetRepository,
    AddonRepository, WorkloadRepository
{
    /// The backend's name as `GET /v1/health` reports it (`memory`, `sqlite`, `postgres`).
    var kind: String { get }
}

extension GroupRepository {
    /// PUT without a version precondition.
    public func putGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> (SecretGroup, WriteOutcome) {
        try await putGroup(definition, in: scope, at: now, expectedVersion: nil)
    }
}
