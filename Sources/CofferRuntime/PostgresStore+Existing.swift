import CofferPostgres
import CofferStore

extension PostgresStore {
    /// Runs the pool for as long as `body` runs, on a database that already holds a Coffer store, opened (keyring
    /// checked, migrations applied): for a command that works on an existing store, so that a mistyped URL never
    /// creates an empty one. `database` names it in the error (a `PostgresURL`'s description, which masks the password).
    public func whileOpenExisting<Result: Sendable>(
        database: String,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await whileRunning {
            guard try await hasSchema() else {
                throw StartupError("The database \(database) holds no Coffer store; pass the URL 'coffer serve --database-url' uses")
            }
            try await open()
            return try await body()
        }
    }
}
