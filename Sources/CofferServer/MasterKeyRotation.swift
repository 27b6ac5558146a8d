import CofferCrypto
import CofferStore
import Foundation

/// `coffer keys rotate` as a library: moves a database and its key file from the current master key to a new one
/// while a server may keep serving from the same files. Every step is crash-safe: the key file is only ever replaced
/// atomically, and at each point it holds every key some row still needs; running it again (without a new key)
/// finishes whatever a killed run left.
public struct MasterKeyRotation: Sendable {
    /// What a run did: key ids only.
    public struct Outcome: Sendable {
        public var rewrap: RewrapSummary
        /// Keys removed from the key file once nothing needed them.
        public var droppedKeyIDs: [String]
    }

    public var databasePath: String
    public var keyFile: MasterKeyFile
    /// The key to rotate to; nil finishes an interrupted rotation to the key file's primary.
    public var newKey: MasterKey?
    public var batchSize = SQLiteStore.defaultRotationBatchSize
    /// Called after each committed batch of re-wrapped data keys; tests throw from it to simulate a kill.
    public var afterBatch: SQLiteStore.BatchHook?

    public init(databasePath: String, keyFile: MasterKeyFile, newKey: MasterKey?) {
        self.databasePath = databasePath
        self.keyFile = keyFile
        self.newKey = newKey
    }

    public func run() async throws -> Outcome {
        guard FileManager.default.fileExists(atPath: databasePath) else { throw StartupError("There is no database at '\(databasePath)'") }
        try keyFile.checkWritable()
        let current = try keyFile.read()
        // (a) The current keys must open this database before the key file changes.
        try SQLiteStore(path: databasePath, keyring: current).close()
        // (b) New key first, old keys kept: the running server (reloading on an unknown id) and any restart can read
        // every row whichever key wraps it.
        var ring = current
        if let newKey, newKey.id != current.primary.id {
            ring = MasterKeyring(primary: newKey, others: current.keys)
            try keyFile.write(ring)
        }
        // (c, d) Re-wrap every data key under the primary, then record it in the check value.
        let store = try SQLiteStore(path: databasePath, keyring: ring)
        defer { try? store.close() }
        let rewrap = try await store.rewrapDataKeys(batchSize: batchSize, afterBatch: afterBatch)
        // (e) Drop the old keys from the file, but only once the database provably needs none of them.
        let inUse = try await store.masterKeyIDsInUse()
        guard inUse == [ring.primary.id] else {
            throw StartupError("Master key ids \(inUse.subtracting([ring.primary.id]).sorted().joined(separator: ", ")) still wrap data; run again")
        }
        let dropped = Array(ring.ids.dropFirst())
        if !dropped.isEmpty { try keyFile.write(MasterKeyring(primary: ring.primary)) }
        return Outcome(rewrap: rewrap, droppedKeyIDs: dropped)
    }
}
