import CofferCore
import Foundation

/// The audit log, read in sequence order. The other repositories' writes append to it, each in the transaction of its
/// change (actor from `AuditActor.current`); a write that changes nothing appends nothing.
public protocol AuditRepository: Sendable {
    /// Entries matching `query`, in sequence order.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// The project's latest revision: how many changes it has had (0 for none).
    func latestRevision(in scope: ProjectScope) async throws -> Int64
}
