import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import GRDB
import Synchronization

/// The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so every committed write is fsync'd
/// before its call returns; concurrent writes share a transaction (`WriteBatcher`), so they share the fsync. Values are
/// sealed with the project's data key; data keys are wrapped by the master key. A driver: the rules are in CofferStore.
public final class SQLiteStore: StoreDriver {
    /// How durable a commit is before it is acknowledged (SQLite's `synchronous` pragma).
    public typealias Synchronous = CommitDurability

    package let pool: DatabasePool
    /// Every write goes through it: concurrent writes commit together (group commit).
    public let batcher = WriteBatcher()
    public let codec: RecordCodec
    package var keyring: LiveKeyring { codec.keyring }

    public var kind: String { "sqlite" }

    /// Opens (creating if needed) the database at `path` with a single master key; see `init(path:keyring:synchronous:reload:)`.
    public convenience init(path: String, masterKey: MasterKey, synchronous: Synchronous = .full) throws {
        try self.init(path: path, keyring: MasterKeyring(primary: masterKey), synchronous: synchronous)
    }

    /// Opens (creating if needed) the database at `path`, refusing a keyring none of whose keys opens the check value
    /// before anything is written, then applies pending migrations. `reload` re-reads the keyring when a data key
    /// names a master key the ring lacks (another process rotated the master key); nil means the ring is fixed.
    public init(
        path: String,
        keyring: MasterKeyring,
        synchronous: Synchronous = .full,
        reload: (@Sendable () throws -> MasterKeyring)? = nil
    ) throws {
        let openingKeyID = try Self.verify(keyring, againstDatabaseAt: path) ?? keyring.primary.id
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "coffer"
        pool = try DatabasePool(path: path, configuration: configuration)
        codec = RecordCodec(keyring: LiveKeyring(keyring, reload: reload))
        try pool.writeWithoutTransaction { db in
            // DatabasePool switches WAL on with synchronous = NORMAL; durability needs FULL on the writer connection.
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        try Self.migrator(openingKeyID: openingKeyID).migrate(pool)
        try pool.write { db in
            if try Data.fetchOne(db, sql: "SELECT check_value FROM master_key_check WHERE id = 1") == nil {
                try db.execute(
                    sql: "INSERT INTO master_key_check (id, check_value, master_key_id) VALUES (1, ?, ?)",
                    arguments: [try keyring.primary.makeCheckValue(), keyring.primary.id]
                )
            }
        }
    }

    /// The synchronous level the writer connection actually runs with (0 off, 1 normal, 2 full, 3 extra).
    public func synchronousLevel() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The journal mode in effect (`wal`).
    public func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Checks the keyring through a read-only connection, before the pool opens: opening a pool writes to the file
    /// (GRDB primes the write-ahead log), and a refused key must leave the file exactly as it was. Returns the id of
    /// the key that opens the check value, nil for a new database.
    private static func verify(_ keyring: MasterKeyring, againstDatabaseAt path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        let checkValue = try DatabaseQueue(path: path, configuration: configuration).read { db -> Data? in
            guard try db.tableExists("master_key_check") else { return nil }
            return try Data.fetchOne(db, sql: "SELECT check_value FROM master_key_check WHERE id = 1")
        }
        guard let checkValue else { return nil }
        for key in keyring.keys where (try? key.verify(checkValue: checkValue)) != nil {
            return key.id
        }
        throw StoreError(
            .masterKeyMismatch,
            "The master key does not match the one this database was created with; refusing to start (nothing was changed)"
        )
    }
}

extension SQLiteStore {
    /// Closes the database; later calls fail. Tests use it to reopen the same file as a restarted server would.
    public func close() throws {
        try pool.close()
    }
}
