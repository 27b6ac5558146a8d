import Metrics
import Synchronization

/// Group commit for every driver: concurrent writes share one transaction, and so one commit (one fsync), while each
/// keeps its own outcome. No write returns before the transaction that carries it has committed. Two ways to run:
///
/// - `write(_:commit:)`, for drivers whose commits are asynchronous (PostgreSQL, several at once, each on a connection
///   of its own): a writer that finds fewer than `concurrentBatches` batches running leads: it commits a batch of
///   itself and what is queued, then hands the lead to the next queued writer, so nobody waits for more than the
///   batches before theirs and no task is spawned.
/// - `write(_:drainingOn:commit:)`, for a driver with one writer thread whose transactions are synchronous (SQLite):
///   the writer itself takes batch after batch from the queue while there are any, so the next batch starts the moment
///   the last commits, without waiting for a task of the shared concurrency pool (busy with parsing and answering
///   requests) to be scheduled to hand the lead on.
/// - `write(_:drainingOn:commit:)` with a `TaskExecutor`, for a driver whose commits are asynchronous round trips
///   (PostgreSQL): the same drain, as a task on the executor of the driver's connections.
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

    /// Queues `write` and returns its decision once the transaction carrying it has committed. If no drain is running,
    /// `drainingOn` starts one on the driver's writer, which commits batches with `commit` (synchronously, on that
    /// writer, one transaction each) until the queue is empty, giving the writer back between every few batches so
    /// that the driver's other work on it (migrations, maintenance) waits for a few batches at most.
    package func write<Writer>(
        _ write: StoreWrite,
        drainingOn writer: @escaping @Sendable (@escaping @Sendable (Writer) -> Void) -> Void,
        commit: @escaping @Sendable ([StoreWrite], Writer) -> [Result<WriteDecision, any Error>]
    ) async throws -> WriteDecision {
        try await drained(write) { drain(on: writer, commit) }
    }

    /// Queues `write` and returns its decision once the transaction carrying it has committed. If no drain is running,
    /// one starts, as a task that runs on `executor` (the thread the driver's connections read the database's replies
    /// on): it commits batch after batch with `commit` while any are queued. The next batch then starts the moment the
    /// last commits, on that thread, rather than when a queued request's task, woken on the shared concurrency pool
    /// behind the requests being parsed and answered there, gets to lead it; and no request's answer waits for the
    /// batches after its own. The drain's task is unstructured because it belongs to no request: it ends when the
    /// queue is empty.
    package func write(
        _ write: StoreWrite,
        drainingOn executor: any TaskExecutor,
        commit: @escaping @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]
    ) async throws -> WriteDecision {
        try await drained(write) { Task(executorPreference: executor) { await self.drain(commit) } }
    }

    /// Queues `write` for a drain, starting one with `startDrain` if none is running, and answers its decision once
    /// the drain has committed it.
    private func drained(_ write: StoreWrite, startDrain: () -> Void) async throws -> WriteDecision {
        let ticket = Ticket(write)
        let starts = state.withLock { state -> Bool in
            state.queue.append(ticket)
            guard state.leaders == 0 else { return false }
            state.leaders = 1
            return true
        }
        if starts { startDrain() }
        while true {
            // A drained write is only ever told it is done.
            if case .done(let result) = await ticket.outcome() { return try result.get() }
        }
    }

    private func drain(_ commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]) async {
        while let batch = nextDrainedBatch() {
            let started = ContinuousClock.now
            let results = recorded(await commit(batch.map(\.write)), of: batch, since: started)
            finish(batch, with: results)
        }
    }

    /// Takes the next batch off the queue for a drain; nil, ending the drain, when the queue is empty.
    private func nextDrainedBatch() -> [Ticket]? {
        state.withLock { state -> [Ticket]? in
            let taken = Array(state.queue.prefix(maximumBatch))
            state.queue.removeFirst(taken.count)
            guard !taken.isEmpty else {
                state.leaders = 0
                return nil
            }
            return taken
        }
    }

    /// Counts a committed batch and tells each of its writers the outcome.
    private func finish(_ batch: [Ticket], with results: [Result<WriteDecision, any Error>]) {
        state.withLock { state in
            state.transactions += 1
            state.writes += batch.count
        }
        for (ticket, result) in zip(batch, results) { ticket.finish(.done(result)) }
    }

    /// Batches drained in one turn on the writer before it is given back.
    private static let batchesPerTurn = 8

    private func drain<Writer>(
        on writer: @escaping @Sendable (@escaping @Sendable (Writer) -> Void) -> Void,
        _ commit: @escaping @Sendable ([StoreWrite], Writer) -> [Result<WriteDecision, any Error>]
    ) {
        writer { connection in
            for _ in 0..<Self.batchesPerTurn {
                guard let batch = self.nextDrainedBatch() else { return }
                let started = ContinuousClock.now
                self.finish(batch, with: self.recorded(commit(batch.map(\.write), connection), of: batch, since: started))
            }
            // More may be queued: carry on in a new turn, after whatever else waits for the writer.
            self.drain(on: writer, commit)
        }
    }

    /// Records a batch's commit in the metrics, and checks that the driver answered each of its writes.
    private func recorded(
        _ results: [Result<WriteDecision, any Error>],
        of batch: [Ticket],
        since started: ContinuousClock.Instant
    ) -> [Result<WriteDecision, any Error>] {
        commitDuration.record(duration: ContinuousClock.now - started)
        batchSize.record(batch.count)
        guard results.count == batch.count else {
            return Array(repeating: .failure(StoreError(.corrupted, "A driver answered \(results.count) of \(batch.count) writes")), count: batch.count)
        }
        return results
    }

    /// Commits `leader` and the queued writes (up to the maximum) in one transaction, then passes the lead on.
    private func commitBatch(led leader: Ticket, _ commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>]) async {
        let batch = state.withLock { state -> [Ticket] in
            let taken = Array(state.queue.prefix(maximumBatch - 1))
            state.queue.removeFirst(taken.count)
            return [leader] + taken
        }
        let started = ContinuousClock.now
        let results = recorded(await commit(batch.map(\.write)), of: batch, since: started)
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
