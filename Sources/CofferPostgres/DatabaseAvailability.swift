import CofferStore
import Logging
import Metrics
import Synchronization

/// Whether the last call reached the database, so that an outage is logged once when it starts and once when it ends
/// rather than on every failed request, and shown as the gauge `coffer_database_available` (1 reachable, 0 not) for
/// an alert that fires on the outage itself rather than on the 503s it causes.
package final class DatabaseAvailability: Sendable {
    private let reachable = Mutex(true)
    private let gauge: Gauge

    /// `gauge` defaults to the process's metrics backend (`coffer serve --metrics`), made when the store is.
    package init(gauge: Gauge = Gauge(label: "coffer_database_available")) {
        self.gauge = gauge
        gauge.record(1)
    }

    /// A call reached the database; logs the recovery if it was unreachable.
    package func succeeded(logger: Logger) {
        guard
            reachable.withLock({ reachable in
                defer { reachable = true }
                return !reachable
            })
        else { return }
        gauge.record(1)
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
        gauge.record(0)
        logger.warning("The database is unavailable; requests answer 503 until it is back", metadata: ["reason": "\(reason)"])
    }
}
