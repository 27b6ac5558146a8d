import GRDB
import Synchronization

/// Group commit: concurrent writes share one transaction, and so one fsync, while each keeps its own outcome.
/// Every write runs in its own savepoint, so one that throws is rolled back alone; the batch commits once, and only
/// then does any of its writes return (an acknowledged write is durable). The first writer to find no batch running
/// leads: it commits a batch of what is queued, then hands the lead to the next queued writer, so nobody waits for
/// more than the batch before theirs and no task is spawned.
final class WriteBatcher: Sendable {
    /// Writes in one transaction at most.
    let maximumBatch: Int
    private let pool: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var queue: [Ticket] = []
        var leading = false
        var transactions = 0
        var writes = 0
    }

    /// Transactions committed and writes they carried, for tests and benchmarks.
    var counts: (transactions: Int, writes: Int) { state.withLock { ($0.transactions, $0.writes) } }

    init(pool: DatabasePool, maximumBatch: Int = 64) {
        self.pool = pool
        self.maximumBatch = maximumBatch
    }

    /// Runs `work` in a transaction shared with concurrent writes; returns once that transaction has committed.
    func write<Value: Sendable>(_ work: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        let ticket = Ticket { try work($0) }
        let leads = state.withLock { state -> Bool in
            state.queue.append(ticket)
            guard !state.leading else { return false }
            state.leading = true
            return true
        }
        if leads { await commitBatch() }
        while true {
            switch await ticket.outcome() {
            case .done(let result):
                // The ticket ran `work`, which returned a `Value`.
                return try result.get() as! Value
            case .lead:
                await commitBatch()
            }
        }
    }

    /// Commits the queued writes (up to the maximum) in one transaction, then passes the lead on.
    private func commitBatch() async {
        let batch = state.withLock { state -> [Ticket] in
            let batch = Array(state.queue.prefix(maximumBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
        let results: [Result<any Sendable, any Error>]
        do {
            results = try await pool.write { db in
                batch.map { ticket in
                    var result: Result<any Sendable, any Error> = .failure(CancellationError())
                    do {
                        try db.inSavepoint {
                            result = .success(try ticket.work(db))
                            return .commit
                        }
                    } catch {
                        result = .failure(error)
                    }
                    return result
                }
            }
        } catch {
            // The commit itself failed: nothing of the batch is stored.
            results = Array(repeating: .failure(error), count: batch.count)
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

/// One queued write: its work, and how its writer learns the outcome (or that it leads the next batch).
private final class Ticket: Sendable {
    enum Outcome: Sendable {
        case done(Result<any Sendable, any Error>)
        case lead
    }

    let work: @Sendable (Database) throws -> any Sendable
    private let state = Mutex<(outcome: Outcome?, waiter: CheckedContinuation<Outcome, Never>?)>((nil, nil))

    init(work: @escaping @Sendable (Database) throws -> any Sendable) {
        self.work = work
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
