import CofferStore
import PostgresNIO

extension PostgresStore {
    /// Runs the store's connection pool for as long as `body` runs, then stops it: for a command that uses the store
    /// once and exits, where a server would run it in its `ServiceGroup`.
    public func whileRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Whether the database already holds Coffer's schema: commands that work on an existing store refuse one that
    /// does not, so that a mistyped URL never creates an empty store.
    public func hasSchema() async throws -> Bool {
        try await read { connection in
            try await connection.values(Bool.self, "SELECT to_regclass('coffer_migrations') IS NOT NULL", logger: self.logger).first == true
        }
    }
}
