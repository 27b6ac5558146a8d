import CofferCore
import CofferStore
import Logging
import ServiceLifecycle

/// Drops, in the background, the versions history retention no longer keeps: beyond `keepVersions` per group, and a
/// deleted group's whole history once it is older than `keepDeleted`. Each sweep runs in transactions of at most
/// `batchSize` rows through the store's write path, so writes wait at most for one short batch.
struct HistoryPruner: Service {
    let store: any HistoryRepository
    let keepVersions: Int
    let keepDeleted: Duration
    let interval: Duration
    let logger: Logger
    var batchSize = 200

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    await sweep()
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }

    /// One sweep: batches until one comes back short. Returns how many versions it dropped.
    @discardableResult
    func sweep(now: Timestamp = .now()) async -> Int {
        let cutoff = now.earlier(by: keepDeleted)
        var dropped = 0
        do {
            while !Task.isCancelled {
                let count = try await store.pruneHistory(keepVersions: keepVersions, deletedBefore: cutoff, limit: batchSize)
                dropped += count
                guard count == batchSize else { break }
            }
        } catch {
            logger.warning("History retention sweep failed; retrying at the next sweep", metadata: ["error": "\(error)"])
        }
        if dropped > 0 { logger.info("History retention dropped old versions", metadata: ["versions": "\(dropped)"]) }
        return dropped
    }
}
