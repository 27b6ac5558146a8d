import CofferCore
import CofferStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// How often a transaction that PostgreSQL aborted for a conflict (a concurrent insert of the same key, a
    /// deadlock, a serialization failure) is run again before the conflict is reported.
    package static let maximumAttempts = 10

    /// Runs `body` in one transaction on a pooled connection and commits it; runs it again from the start when
    /// another transaction won a race. `body` must be safe to repeat: it re-reads everything it decides on.
    package func write<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await withLease { connection in
                    try await connection.withTransaction(logger: self.logger) { connection in try await body(connection) }
                }
            } catch let error as PostgresTransactionError {
                let underlying = error.closureError ?? error.commitError ?? error.beginError ?? error
                if attempt < Self.maximumAttempts, Self.isConflict(underlying) {
                    attempt += 1
                    continue
                }
                throw underlying
            }
        }
    }

    /// Runs `body` on a pooled connection outside an explicit transaction (each statement sees committed data).
    package func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await withLease { connection in try await body(connection) }
    }

    /// Whether `error` is PostgreSQL aborting a transaction that a retry can get through.
    package static func isConflict(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        // unique_violation (a concurrent insert of the same key), serialization_failure, deadlock_detected
        return ["23505", "40001", "40P01"].contains(state)
    }
}

extension PostgresConnection {
    /// Every row `query` returns, read to the end.
    package func rows(_ query: PostgresQuery, logger: Logger) async throws -> [StoredRow] {
        var rows: [StoredRow] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(StoredRow(row))
        }
        return rows
    }

    /// The first row `query` returns, if any.
    package func row(_ query: PostgresQuery, logger: Logger) async throws -> StoredRow? {
        try await rows(query, logger: logger).first
    }

    /// The first column of every row `query` returns.
    package func values<Value: PostgresDecodable>(_ type: Value.Type, _ query: PostgresQuery, logger: Logger) async throws -> [Value] {
        var values: [Value] = []
        for try await row in try await self.query(query, logger: logger) {
            values.append(try row.decode(Value.self))
        }
        return values
    }

    /// Runs `query` to completion, discarding any rows it returns.
    package func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
