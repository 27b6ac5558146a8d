import CofferCore
import CofferCrypto
import Foundation

/// What a storage backend provides: rows in, rows out, in transactions. It holds no rule of Coffer's; the rules
/// (version checks, create-or-update, no-op detection, what a change records) are written once, in the extensions of
/// this protocol (`StoreDriver+Groups.swift` and its siblings), and reach the driver as `StoreWrite`s.
public protocol StoreDriver: SecretStore {
    /// Seals and opens values with the store's keys; shared by every write and read of the store.
    var codec: RecordCodec { get }
    /// Puts concurrent writes into one transaction.
    var batcher: WriteBatcher { get }

    /// The rows `keys` name, read in one transaction.
    func load(_ keys: [RowKey]) async throws -> LoadedRows

    /// Runs `writes` in one transaction: for each in turn, loads its reads, decides and applies its changes; then
    /// appends the audit entries of those that succeeded, linked after the chain's head, and commits. A write whose rule
    /// refuses it changes nothing, and one whose statement the database refuses fails alone (the batch is rolled back
    /// and its writes retried each in a transaction of its own). Returns one result per write, in order, after the
    /// commit (or its failure, which fails all).
    func commit(_ writes: [StoreWrite]) async -> [Result<WriteDecision, any Error>]

    /// Audit entries matching `query`, in sequence order.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]

    /// Queues `write` on the batcher and answers its decision once the transaction carrying it has committed; by
    /// default batches are committed with `commit`, one leading writer at a time (`WriteBatcher.write(_:commit:)`).
    func commitQueued(_ write: StoreWrite) async throws -> WriteDecision
}

extension StoreDriver {
    public func commitQueued(_ write: StoreWrite) async throws -> WriteDecision {
        try await batcher.write(write) { batch in await self.commit(batch) }
    }

    /// Runs one write through the batcher and returns its answer once its transaction has committed.
    package func submit<Answer: Sendable>(
        reads: [RowKey],
        decide: @escaping @Sendable (LoadedRows) throws -> (Answer, [RowChange], [AuditEntry])
    ) async throws -> Answer {
        try await submitRecorded(reads: reads, decide: decide).answer
    }

    /// `submit`, also answering the write's audit entries as they were stored: linked into the chain and numbered.
    package func submitRecorded<Answer: Sendable>(
        reads: [RowKey],
        decide: @escaping @Sendable (LoadedRows) throws -> (Answer, [RowChange], [AuditEntry])
    ) async throws -> (answer: Answer, audit: [AuditEntry]) {
        let write = StoreWrite(reads: reads) { rows in
            let (answer, changes, audit) = try decide(rows)
            return WriteDecision(answer: answer, changes: changes, audit: audit)
        }
        let decision = try await commitQueued(write)
        guard let answer = decision.answer as? Answer else {
            throw StoreError(.corrupted, "A write answered \(type(of: decision.answer)), not \(Answer.self)")
        }
        return (answer, decision.audit)
    }
}

extension [Result<WriteDecision, any Error>] {
    /// Gives each successful decision its audit entries as stored: `stored` holds them linked and numbered, in the order
    /// of the decisions that appended them.
    package mutating func record(_ stored: [AuditEntry]) {
        var rest = stored[...]
        for index in indices {
            guard case .success(var decision) = self[index] else { continue }
            let count = decision.audit.count
            decision.audit = [AuditEntry](rest.prefix(count))
            rest = rest.dropFirst(count)
            self[index] = .success(decision)
        }
    }
}

extension AuditChain {
    /// `entries` linked one after another after `head` (nil: the chain is empty).
    package static func link(_ entries: [AuditEntry], after head: (sequence: Int64, hash: Data)?) -> [AuditEntry] {
        var previous = head
        return entries.map { entry in
            let linked = link(entry, after: previous)
            previous = (linked.sequence, linked.hash)
            return linked
        }
    }
}
