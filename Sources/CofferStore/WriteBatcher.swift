import Synchronization

/// Group commit for every driver: concurrent writes share one transaction, and so one commit (one fsync), while each
/// keeps its own outcome. The first writer to find no batch running leads: it commits a batch of what is queued, then
/// hands the lead to the next queued writer, so nobody waits for more than the batch before theirs and no task is
/// spawned. No write returns before the transaction that carries it has committed.
public final class WriteBatcher: Sendable {
    /// Writes in one transaction at most.
    let maximumBatch: Int
    private let state = Mutex(State())

    private struct State {
        var queue: [Ticket] = []
        var leading = false
        var transactions = 0
        var writes = 0
    }

    /// Transactions committed and writes they carried, for tests and benchmarks.
    public var counts: (transactions: Int, writes: Int) { state.withLock { ($0.transactions, $0.writes) } }

    public init(maximumBatch: Int = 64) {
        self.maximumBatch = maximumBatch
    }

    /// Queues `write`, and returns its decision once the transaction carrying it has committed. Whoever leads a batch
    /// commits it with its own `commit`, which is the same driver's for every writer of one batcher.
    func write(
        _ write: StoreWrite,
        commit: @escaping @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]
    ) async throws -> WriteDecision {
        let ticket = Ticket(write)
        let leads = state.withLock { state -> Bool in
            state.queue.append(ticket)
            guard !state.leading else { return false }
            state.leading = true
            return true
        }
        if leads { await commitBatch(commit) }
        while true {
            switch await ticket.outcome() {
            case .done(let result):
                return try result.get()
            case .lead:
                await commitBatch(commit)
            }
        }
    }

    /// Commits the queued writes (up to the maximum) in one transaction, then passes the lead on.
    private func commitBatch(_ commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]) async {
        let batch = state.withLock { state -> [Ticket] in
            let batch = Array(state.queue.prefix(maximumBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
        var results = await commit(batch.map(\.write))
        if results.count != batch.count {
            results = Array(repeating: .failure(StoreError(.corrupted, "A driver answered \(results.count) of \(batch.count) writes")), count: batch.count)
        }
        let next = state.withLock { state -> Ticket? in
            state.transactions += 1
            state.writes += batch.count
            guard let next = state.queue.first else {
                state.leading = false
                return nil
            }
            return next
        }
        for (ticket, result) in zip(batch, results) { ticket.finish(.done(result)) }
        next?.finish(.lead)
    }
}

/// One queued write, and how its writer learns the outcome (or that it leads the next batch).
private final class Ticket: Sendable {
    enum Outcome: Sendable {
        case done(Result<WriteDecision, any Error>)
        case lead
    }

    let write: StoreWrite
    private let state = Mutex<(outcome: Outcome?, waiter: CheckedContinuation<Outcome, Never>?)>((nil, nil))

    init(_ write: StoreWrite) {
        self.write = write
    }

    /// The next outcome, waiting for it if needed; each is delivered once.
    func outcome() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcome? in
                if let outcome = state.outcome {
                    state.outcome = nil
                    return outcome
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func finish(_ outcome: Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard let waiter = state.waiter else {
                state.outcome = outcome
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: outcome)
    }
}
