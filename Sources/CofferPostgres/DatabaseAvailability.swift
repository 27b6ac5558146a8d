import CofferStore
import Logging
import Synchronization

/// Whether the last call reached the database, so that an outage is logged once when it starts and once when it ends
/// rather than on every failed request.
package final class DatabaseAvailability: Sendable {
    private let reachable = Mutex(true)

    /// A call reached the database; logs the recovery if it was unreachable.
    package func succeeded(logger: Logger) {
        guard
            reachable.withLock({ reachable in
                defer { reachable = true }
                return !reachable
            })
        else { return }
        logger.info("The database is reachable again")
    }

    /// A call could not reach the database; logs the first failure of an outage with its driver-level reason.
    package func failed(reason: String, logger: Logger) {
        guard
            reachable.withLock({ reachable in
                defer { reachable = false }
                return reachable
            })
        else { return }
        logger.warning("The database is unavailable; requests answer 503 until it is back", metadata: ["reason": "\(reason)"])
    }
}
