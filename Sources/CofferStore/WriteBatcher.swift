import Metrics
import Synchronization

/// Group commit for every driver: concurrent writes share one transaction, and so one commit (one fsync), while each
/// keeps its own outcome. A writer that finds fewer than `concurrentBatches` batches running leads: it commits a batch
/// of itself and what is queued, then hands the lead to the next queued writer, so nobody waits for more than the
/// batches before theirs and no task is spawned. No write returns before the transaction that carries it has
/// committed. SQLite has one writer, so one batch at a time; PostgreSQL commits several at once, each on a connection
/// of its own.
public final class WriteBatcher: Sendable {
    /// Writes in one transaction at most.
    package let maximumBatch: Int
    /// Batches committing at once at most.
    package let concurrentBatches: Int
    private let state = Mutex(State())
    /// How long each batch's transaction took, commit included, and how many writes it carried (swift-metrics; made
    /// when the batcher is, so after the server chose its metrics backend).
    private let commitDuration = Metrics.Timer(label: "coffer_store_commit_duration_seconds")
    private let batchSize = Recorder(label: "coffer_store_batch_writes")

    private struct State {
        var queue: [Ticket] = []
        var leaders = 0
        var transactions = 0
        var writes = 0
    }

    /// Transactions committed and writes they carried, for tests and benchmarks.
    public var counts: (transactions: Int, writes: Int) { state.withLock { ($0.transactions, $0.writes) } }

    public init(maximumBatch: Int = 64, concurrentBatches: Int = 1) {
        self.maximumBatch = maximumBatch
        self.concurrentBatches = max(1, concurrentBatches)
    }

    /// Queues `write`, and returns its decision once the transaction carrying it has committed. Whoever leads a batch
    /// commits it with its own `commit`, which is the same driver's for every writer of one batcher.
    package func write(
        _ write: StoreWrite,
        commit: @escaping @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]
    ) async throws -> WriteDecision {
        let ticket = Ticket(write)
        let leads = state.withLock { state -> Bool in
            guard state.leaders < concurrentBatches else {
                state.queue.append(ticket)
                return false
            }
            state.leaders += 1
            return true
        }
        if leads { await commitBatch(led: ticket, commit) }
        while true {
            switch await ticket.outcome() {
            case .done(let result):
                return try result.get()
            case .lead:
                await commitBatch(led: ticket, commit)
            }
        }
    }

    /// Commits `leader` and the queued writes (up to the maximum) in one transaction, then passes the lead on.
    private func commitBatch(led leader: Ticket, _ commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]) async {
        let batch = state.withLock { state -> [Ticket] in
            let taken = Array(state.queue.prefix(maximumBatch - 1))
            state.queue.removeFirst(taken.count)
            return [leader] + taken
        }
        let started = ContinuousClock.now
        var results = await commit(batch.map(\.write))
        commitDuration.record(duration: ContinuousClock.now - started)
        batchSize.record(batch.count)
        if results.count != batch.count {
            results = Array(repeating: .failure(StoreError(.corrupted, "A driver answered \(results.count) of \(batch.count) writes")), count: batch.count)
        }
        let next = state.withLock { state -> Ticket? in
            state.transactions += 1
            state.writes += batch.count
            guard !state.queue.isEmpty else {
                state.leaders -= 1
                return nil
            }
            return state.queue.removeFirst()
        }
        for (ticket, result) in zip(batch, results) { ticket.finish(.done(result)) }
        next?.finish(.lead)
    }
}

/// One queued write, and how its writer learns the outcome (or that it leads the next batch).
private final class Ticket: Sendable {
    package enum Outcome: Sendable {
        case done(Result<WriteDecision, any Error>)
        case lead
    }

    package let write: StoreWrite
    private let state = Mutex<(outcome: Outcome?, waiter: CheckedContinuation<Outcome, Never>?)>((nil, nil))

    package init(_ write: StoreWrite) {
        self.write = write
    }

    /// The next outcome, waiting for it if needed; each is delivered once.
    package func outcome() async -> Outcome {
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

    package func finish(_ outcome: Outcome) {
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
