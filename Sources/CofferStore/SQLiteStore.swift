import CofferCore
import CofferCrypto
import Foundation
import GRDB
import Synchronization

/// The embedded store: one SQLite file in WAL mode with `synchronous = FULL`, so every committed write is fsync'd
/// before its call returns. Values are sealed with the project's data key; data keys are wrapped by the master key.
public final class SQLiteStore: SecretStore {
    /// How durable a commit is before it is acknowledged.
    public enum Synchronous: String, Sendable {
        /// fsync on every commit: an acknowledged write survives power loss.
        case full = "FULL"
        /// fsync at checkpoints only: an acknowledged write survives a crash of the process, not of the machine.
        case normal = "NORMAL"
    }

    let pool: DatabasePool
    let masterKey: MasterKey
    let dataKeys = DataKeyCache()

    public var kind: String { "sqlite" }

    /// Opens (creating if needed) the database at `path`, refusing a master key other than the one it was created
    /// with before anything is written, then applies pending migrations.
    public init(path: String, masterKey: MasterKey, synchronous: Synchronous = .full) throws {
        try Self.verify(masterKey, againstDatabaseAt: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "coffer"
        pool = try DatabasePool(path: path, configuration: configuration)
        self.masterKey = masterKey
        try pool.writeWithoutTransaction { db in
            // DatabasePool switches WAL on with synchronous = NORMAL; durability needs FULL on the writer connection.
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        try Self.migrator.migrate(pool)
        try pool.write { db in
            if try Data.fetchOne(db, sql: "SELECT check_value FROM master_key_check WHERE id = 1") == nil {
                try db.execute(sql: "INSERT INTO master_key_check (id, check_value) VALUES (1, ?)", arguments: [try masterKey.makeCheckValue()])
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

    /// Checks the key through a read-only connection, before the pool opens: opening a pool writes to the file
    /// (GRDB primes the write-ahead log), and a refused key must leave the file exactly as it was.
    private static func verify(_ masterKey: MasterKey, againstDatabaseAt path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let checkValue = try DatabaseQueue(path: path, configuration: configuration).read { db -> Data? in
            guard try db.tableExists("master_key_check") else { return nil }
            return try Data.fetchOne(db, sql: "SELECT check_value FROM master_key_check WHERE id = 1")
        }
        guard let checkValue else { return }
        do {
            try masterKey.verify(checkValue: checkValue)
        } catch {
            throw StoreError(
                .masterKeyMismatch,
                "The master key does not match the one this database was created with; refusing to start (nothing was changed)"
            )
        }
    }
}

/// Unwrapped data keys by project, each remembered with the wrapped bytes it came from, so a key that was rotated or
/// a project that was re-created is never served from a stale entry.
final class DataKeyCache: Sendable {
    private let entries = Mutex<[ProjectScope: (wrapped: Data, key: DataKey)]>([:])

    func key(for scope: ProjectScope, wrapped: Data, unwrap: (Data) throws -> DataKey) throws -> DataKey {
        if let entry = entries.withLock({ $0[scope] }), entry.wrapped == wrapped { return entry.key }
        let key = try unwrap(wrapped)
        entries.withLock { $0[scope] = (wrapped, key) }
        return key
    }

    func forget(_ scope: ProjectScope) {
        _ = entries.withLock { $0.removeValue(forKey: scope) }
    }
}

extension SQLiteStore {
    /// Closes the database; later calls fail. Tests use it to reopen the same file as a restarted server would.
    public func close() throws {
        try pool.close()
    }
}
