import CofferStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Runs `body` on a pooled connection, waiting at most `leaseTimeout` for one. While the database is unreachable the
    /// pool queues requests for up to a minute before failing them; a request should rather be told `unavailable` (a
    /// 503) within seconds. `leaseTimeout` covers only the wait: once `body` has begun it may run on, so a write is
    /// either never started or finished by the database. Connection failures become `StoreError.unavailable`.
    ///
    /// A call that has its connection but has not ended after `callTimeout` is abandoned as `unavailable` too: when
    /// the database stops under load, a query sent on a connection that is just then dying can wait forever for an
    /// answer (the outage test caught one), and every request waiting on it (a token lookup, a snapshot load) would
    /// wait with it. Its outcome is then unknown, as for any connection lost mid-call. The work runs in a task of its
    /// own that this call does not join once it gives up, so the caller has its 503 on time.
    package func withLease<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let lease = Lease()
        let outcome = Outcome<Result>()
        let work = Task(executorPreference: executor) {
            do {
                outcome.finish(
                    .success(
                        try await self.client.withConnection { connection in
                            guard lease.begin() else { throw StoreError.unavailable }
                            return try await body(connection)
                        }
                    )
                )
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let timer = Task {
            try await Task.sleep(for: self.leaseTimeout)
            if !lease.expire() { try await Task.sleep(for: self.callTimeout - self.leaseTimeout) }
            work.cancel()
            outcome.finish(.failure(StoreError.unavailable))
        }
        do {
            let result = try await withTaskCancellationHandler {
                try await outcome.value()
            } onCancel: {
                work.cancel()
            }
            timer.cancel()
            availability.succeeded(logger: logger)
            return result
        } catch {
            timer.cancel()
            guard lease.expired || (!lease.begun && !Task.isCancelled) || Self.isUnavailable(error) else { throw error }
            availability.failed(reason: Self.reason(error), logger: logger)
            throw StoreError.unavailable
        }
    }

    /// Whether `error` says the database or the connection to it is gone, rather than that a statement failed.
    package static func isUnavailable(_ error: any Error) -> Bool {
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
    package static func reason(_ error: any Error) -> String {
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

extension PostgresStore {
    /// Why a connection attempt failed, for a start-up error: the driver's code, then the server's SQL state and message
    /// (which name a user or a database, never a password) or the socket's failure. The caller says where it connected.
    package static func connectionFailure(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(type(of: error))" }
        if let state = error.serverInfo?[.sqlState] {
            return "\(error.code) (SQLSTATE \(state)" + (error.serverInfo?[.message].map { ": \($0)" } ?? "") + ")"
        }
        return "\(error.code)" + (error.underlying.map { " (\(socketFailure($0)))" } ?? "")
    }

    /// A socket-level failure in words: the errno's text, an unresolvable name, a timeout.
    private static func socketFailure(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return socketFailure(first.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "the host name does not resolve" : "no address to connect to"
        case ChannelError.connectTimeout(let timeout):
            return "no answer within \(timeout.nanoseconds / 1_000_000) ms"
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

    package var begun: Bool { state.withLock { $0 == .begun } }
    package var expired: Bool { state.withLock { $0 == .expired } }

    /// Claims the lease for the body; false if the wait already expired.
    package func begin() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .begun
            return true
        }
    }

    /// Ends the wait; false if the body already began.
    package func expire() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .expired
            return true
        }
    }
}

/// The first result a pooled call finishes with (its body's, or a timeout's), delivered once to its waiter.
private final class Outcome<Value: Sendable>: Sendable {
    private let state = Mutex<(result: Result<Value, any Error>?, waiter: CheckedContinuation<Value, any Error>?)>((nil, nil))

    /// Records `result` unless one is already recorded, and wakes the waiter.
    package func finish(_ result: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    /// The first result, waiting for it if needed.
    package func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
