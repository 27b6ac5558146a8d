import CofferCore

/// How a driver whose every statement is a round trip (PostgreSQL) runs a batch's writes in one transaction without a
/// round trip per write: the rows every write of the batch reads are loaded together, each write decides on them in
/// turn, and their changes are held back to be applied together. Where a write reads a row an earlier write of the
/// batch changed, what is held back is applied first and the rest of the batch's rows are read again, so every write
/// decides on rows exactly as if the writes before it had run one by one; where a write changes a row a held-back
/// change also changes, the held-back changes are applied first, so changes to one row reach the database in order.
package enum WriteBatch {
    package struct Outcome: Sendable {
        /// One per write, in the batch's order.
        package var results: [Result<WriteDecision, any Error>]
        /// The changes decided since the last `apply`, for the driver to apply with the audit entries.
        package var unapplied: [RowChange]
        /// The audit entries of the writes that succeeded, in the order they ran.
        package var audit: [AuditEntry]
    }

    /// Runs `writes` in `order` (indices into `writes`) inside one open transaction, reading rows with `load` (which
    /// locks them where the database can) and applying held-back changes with `apply`. A write whose rule refuses it
    /// fails alone and changes nothing; a `load` or `apply` that throws fails the whole batch.
    package static func run(
        _ writes: [StoreWrite],
        in order: [Int],
        load: ([RowKey]) async throws -> LoadedRows,
        apply: ([RowChange]) async throws -> Void
    ) async throws -> Outcome {
        var outcome = Outcome(
            results: Array(repeating: .failure(CancellationError()), count: writes.count),
            unapplied: [],
            audit: []
        )
        var rows = try await load(reads(of: writes, order[...]))
        // What the batch changed since `rows` were read, and what of it is not applied yet.
        var changedSinceLoad = RowAddressSet()
        var unappliedAddresses = RowAddressSet()
        for (position, index) in order.enumerated() {
            let write = writes[index]
            if changedSinceLoad.overlaps(write.reads.lazy.flatMap(\.addresses)) {
                if !outcome.unapplied.isEmpty {
                    try await apply(outcome.unapplied)
                    outcome.unapplied = []
                    unappliedAddresses.removeAll()
                }
                rows = try await load(reads(of: writes, order[position...]))
                changedSinceLoad.removeAll()
            }
            let decision: WriteDecision
            do {
                decision = try write.decide(rows)
            } catch {
                outcome.results[index] = .failure(error)
                continue
            }
            let changed = decision.changes.flatMap(\.addresses)
            if unappliedAddresses.overlaps(changed) {
                try await apply(outcome.unapplied)
                outcome.unapplied = []
                unappliedAddresses.removeAll()
            }
            outcome.unapplied += decision.changes
            unappliedAddresses.insert(contentsOf: changed)
            changedSinceLoad.insert(contentsOf: changed)
            outcome.audit += decision.audit
            outcome.results[index] = .success(decision)
        }
        return outcome
    }

    /// Every row the writes at `positions` read, each once, in the order they first ask for it.
    private static func reads(of writes: [StoreWrite], _ positions: ArraySlice<Int>) -> [RowKey] {
        var seen: Set<RowKey> = []
        var keys: [RowKey] = []
        for index in positions {
            for key in writes[index].reads where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }
}
