import CofferCore
import Foundation

/// A project's services and jobs. Every write returns only after its change is durable and appends its audit entry
/// (actor from `AuditActor.current`) in the same transaction; a write that changes nothing appends nothing.
public protocol WorkloadRepository: Sendable {
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
