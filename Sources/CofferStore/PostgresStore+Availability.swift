import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Runs `body` on a pooled connection, waiting at most `leaseTimeout` for one. While the database is unreachable the
    /// pool queues requests for up to a minute before failing them; a request should rather be told `unavailable` (a
    /// 503) within seconds. The timeout covers only the wait: once `body` has begun it runs to its end, so a write is
    /// either never started or finished by the database. Connection failures become `StoreError.unavailable`.
    func withLease<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let lease = Lease()
        do {
            let result = try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        guard lease.begin() else { throw StoreError.unavailable }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: self.leaseTimeout)
                    guard lease.expire() else { return nil }
                    throw StoreError.unavailable
                }
                while let next = try await group.next() {
                    guard let result = next else { continue }
                    group.cancelAll()
                    return result
                }
                throw CancellationError()
            }
            availability.succeeded(logger: logger)
            return result
        } catch {
            guard lease.expired || (!lease.begun && !Task.isCancelled) || Self.isUnavailable(error) else { throw error }
            availability.failed(reason: Self.reason(error), logger: logger)
            throw StoreError.unavailable
        }
    }

    /// Whether `error` says the database or the connection to it is gone, rather than that a statement failed.
    static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresTransactionError:
            guard let underlying = error.closureError ?? error.commitError ?? error.beginError else { return false }
            return isUnavailable(underlying)
        case let error as PSQLError:
            if [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(error.code) {
                return true
            }
            guard let state = error.serverInfo?[.sqlState] else { return false }
            // connection_exception (08...), admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
        case let error as StoreError:
            return error.code == .unavailable
        default:
            return false
        }
    }

    /// What to log about an outage: the driver's error code and SQL state, never its message (it may name the host).
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as PostgresTransactionError:
            return reason(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? StoreError.unavailable)
        case let error as PSQLError:
            return "\(error.code)" + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        case let error as StoreError where error.code == .unavailable:
            return "no connection became free before the lease timeout"
        default:
            return "\(type(of: error))"
        }
    }
}

/// Whether a pooled call got its connection before its timeout, decided once: either the body begins or the wait
/// expires, never both.
private final class Lease: Sendable {
    private enum State {
        case waiting
        case begun
        case expired
    }

    private let state = Mutex(State.waiting)

    var begun: Bool { state.withLock { $0 == .begun } }
    var expired: Bool { state.withLock { $0 == .expired } }

    /// Claims the lease for the body; false if the wait already expired.
    func begin() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .begun
            return true
        }
    }

    /// Ends the wait; false if the body already began.
    func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }
}
