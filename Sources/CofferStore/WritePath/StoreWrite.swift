import CofferCore
import Foundation

/// What one write decided: the rows it changes, the audit entries that record it, and its caller's answer.
public struct WriteDecision: Sendable {
    public var changes: [RowChange]
    public var audit: [AuditEntry]
    package let answer: any Sendable

    package init(answer: any Sendable, changes: [RowChange] = [], audit: [AuditEntry] = []) {
        self.answer = answer
        self.changes = changes
        self.audit = audit
    }
}

/// One write: the rows it reads, and the rule that decides what it changes from what it read. Drivers load the reads
/// in the write's transaction (locking the rows where they can), run `decide`, apply its changes and append its audit
/// entries; a driver that retries a transaction runs `decide` again, so it depends on its reads alone.
public struct StoreWrite: Sendable {
    public let reads: [RowKey]
    public let decide: @Sendable (LoadedRows) throws -> WriteDecision

    package init(reads: [RowKey], decide: @escaping @Sendable (LoadedRows) throws -> WriteDecision) {
        self.reads = reads
        self.decide = decide
    }
}
