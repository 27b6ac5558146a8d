import CofferCrypto
import CofferPostgres
import CofferSQLite
import CofferStore
import Foundation
import Logging

/// `coffer keys rotate` as a library: moves a store and its key file from the current master key to a new one while
/// servers keep serving from the same store. Every step is crash-safe: the key file is only ever replaced atomically,
/// and at each point it holds every key some row still needs; running it again (without a new key) finishes whatever
/// a killed run left.
public struct MasterKeyRotation: Sendable {
    /// What a run did: key ids only.
    public struct Outcome: Sendable {
        public var rewrap: RewrapSummary
        /// Keys removed from the key file once nothing needed them.
        public var droppedKeyIDs: [String]
    }

    /// The store whose data keys are re-wrapped.
    public enum Database: Sendable {
        /// A data directory's SQLite file.
        case sqlite(path: String)
        /// The PostgreSQL database replicas share; each replica must read the same key file (it re-reads it when it
        /// meets a key it lacks), or be given the new key followed by the old one before the rotation starts.
        case postgres(PostgresURL)
    }

    public var database: Database
    public var keyFile: MasterKeyFile
    /// The key to rotate to; nil finishes an interrupted rotation to the key file's primary.
    public var newKey: MasterKey?
    public var batchSize = defaultRotationBatchSize
    /// Called after each committed batch of re-wrapped data keys; tests throw from it to simulate a kill.
    public var afterBatch: RotationBatchHook?

    public init(database: Database, keyFile: MasterKeyFile, newKey: MasterKey?) {
        self.database = database
        self.keyFile = keyFile
        self.newKey = newKey
    }

    /// A rotation of the SQLite store at `databasePath`.
    public init(databasePath: String, keyFile: MasterKeyFile, newKey: MasterKey?) {
        self.init(database: .sqlite(path: databasePath), keyFile: keyFile, newKey: newKey)
    }

    public func run() async throws -> Outcome {
        if case .sqlite(let path) = database, !FileManager.default.fileExists(atPath: path) {
            throw StartupError("There is no database at '\(path)'")
        }
        try keyFile.checkWritable()
        let current = try keyFile.read()
        // (a) The current keys must open this store before the key file changes.
        try await withStore(keyring: current) { _ in }
        // (b) New key first, old keys kept: running servers (reloading on an unknown id) and any restart can read
        // every row whichever key wraps it.
        var ring = current
        if let newKey, newKey.id != current.primary.id {
            ring = MasterKeyring(primary: newKey, others: current.keys)
            try keyFile.write(ring)
        }
        let primary = ring.primary
        let (rewrap, inUse) = try await withStore(keyring: ring) { store in
            // (c, d) Re-wrap every data key under the primary, then record it in the check value.
            let rewrap = try await store.rewrapDataKeys(batchSize: batchSize, afterBatch: afterBatch)
            return (rewrap, try await store.masterKeyIDsInUse())
        }
        // (e) Drop the old keys from the file, but only once the store provably needs none of them.
        guard inUse == [primary.id] else {
            throw StartupError("Master key ids \(inUse.subtracting([primary.id]).sorted().joined(separator: ", ")) still wrap data; run again")
        }
        let dropped = Array(ring.ids.dropFirst())
        if !dropped.isEmpty { try keyFile.write(MasterKeyring(primary: primary)) }
        return Outcome(rewrap: rewrap, droppedKeyIDs: dropped)
    }

    /// Runs `body` on the store opened with `keyring` (which it refuses if no key of it opens the store).
    private func withStore<Result: Sendable>(
        keyring: MasterKeyring,
        _ body: @Sendable (any StoreDriver) async throws -> Result
    ) async throws -> Result {
        switch database {
        case .sqlite(let path):
            let store = try SQLiteStore(path: path, keyring: keyring)
            defer { try? store.close() }
            return try await body(store)
        case .postgres(let url):
            var logger = Logger(label: "coffer.keys")
            logger.logLevel = .warning
            let store = PostgresStore(configuration: url.clientConfiguration(), keyring: keyring, logger: logger)
            return try await store.whileOpenExisting(database: url.description) { try await body(store) }
        }
    }
}
