import CofferCore
import CofferCrypto
import CofferMigration
import CofferPostgres
import CofferPostgresTestSupport
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import Testing

/// `StoreBackup` and `StoreRestore`: a SQLite store with every kind of record and its history, backed up and brought
/// into a fresh store of either kind, reads back equal with its audit chain going on; the file holds no key and no
/// value; a damaged file, a store with data and a wrong key are refused with the target left as it was.
struct StoreBackupTests {
    let key = MasterKey.generate()

    /// The migration fixture, plus a group created and deleted, so history holds a deletion.
    func makeSource() async throws -> (store: SQLiteStore, path: String) {
        let path = TemporaryDirectory().path + "/coffer.sqlite"
        let store = try SQLiteStore(path: path, masterKey: key)
        try await MigrationFixture.seed(store)
        _ = try await store.putGroup(Fixtures.definition(name: "Gone", variables: ["GONE": "plain-gone-value"]), in: Fixtures.demo, at: .now())
        #expect(try await store.deleteGroup(id: "gone", in: Fixtures.demo, expectedVersion: nil))
        return (store, path)
    }

    func backUp(_ source: StoreBackup.Source) async throws -> (file: String, header: BackupHeader) {
        let file = TemporaryDirectory().path + "/coffer.backup"
        let (report, header) = try await StoreBackup(from: source, to: file).run()
        #expect(report.isVerified && report.committed)
        #expect(report.kinds.map(\.name) == MigratedTable.all.map(\.name))
        return (file, header)
    }

    func restore(_ file: String, intoSQLiteAt path: String, keyring: MasterKeyring? = nil) async throws -> MigrationReport {
        try await StoreRestore(from: file, into: .sqlite(path: path, keyring: keyring ?? MasterKeyring(primary: key))).run().report
    }

    /// Everything the fixture wrote, history included, reads back equal, and the audit chain verifies and goes on from
    /// the restored head (on the rotated project's generation 2 key too). Writes to `restored`.
    func expectSameContents(_ restored: any SecretStore, as source: SQLiteStore) async throws {
        let copied = try await MigrationFixture.contents(of: restored)
        #expect(copied == (try await MigrationFixture.contents(of: source)))
        for id in ["gone", "shared-config"] {
            let versions = try await restored.groupVersions(id: id, in: Fixtures.demo, before: nil, limit: 10)
            #expect(versions == (try await source.groupVersions(id: id, in: Fixtures.demo, before: nil, limit: 10)))
            #expect(versions?.versions.count == 2, "\(id)")
        }
        let first = try await restored.groupVersion(id: "shared-config", version: 1, in: Fixtures.demo)
        let sourceFirst = try await source.groupVersion(id: "shared-config", version: 1, in: Fixtures.demo)
        #expect(first != nil && first == sourceFirst)

        var verifier = AuditChain.Verifier()
        try verifier.check(copied.audit)
        #expect(verifier.head == copied.audit.last?.hash)
        _ = try await restored.putGroup(Fixtures.definition(name: "After"), in: MigrationFixture.rotated, at: .now())
        let after = try await restored.auditEntries(AuditQuery(after: verifier.count, limit: 10))
        #expect(after.map(\.sequence) == [verifier.count + 1])
        try verifier.check(after)
    }

    @Test func aSQLiteBackupRestoresIntoAFreshDataDirectoryWithItsHistoryAndAuditChain() async throws {
        let (source, sourcePath) = try await makeSource()
        let (file, header) = try await backUp(.sqlite(path: sourcePath))
        #expect(header.source == "sqlite" && header.masterKeyIds == [key.id])
        let rows = Dictionary(uniqueKeysWithValues: header.tables.map { ($0.name, $0.rows) })
        #expect(rows["team"] == 2 && rows["token"] == 5 && rows["secret_group"] == 6 && rows["master_key_check"] == 1)
        #expect((rows["group_version"] ?? 0) >= 11 && (rows["audit_entry"] ?? 0) >= 20)

        let path = TemporaryDirectory().path + "/coffer.sqlite"
        let report = try await restore(file, intoSQLiteAt: path)
        #expect(report.isVerified && report.openedRecords > 50)
        for kind in report.kinds {
            #expect(kind.sourceCount == kind.targetCount && kind.sourceDigest == kind.targetDigest, "\(kind.name)")
            #expect(kind.sourceDigest == header.tables.first { $0.name == kind.name }?.digest)
        }
        try await expectSameContents(try SQLiteStore(path: path, masterKey: key), as: source)
    }

    @Test func theFileHoldsNeitherTheKeyNorAValueAndOnlyItsOwnerMayReadIt() async throws {
        let (_, sourcePath) = try await makeSource()
        let (file, _) = try await backUp(.sqlite(path: sourcePath))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.starts(with: Data("coffer-backup 1 {".utf8)))
        #expect(bytes.range(of: Data(key.base64.utf8)) == nil)
        #expect(bytes.range(of: try #require(Data(base64Encoded: key.base64))) == nil)
        for value in ["production", "user-demo", "key-demo", "s.demo", "plain-gone-value", "file with"] {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value)")
        }
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        // A second backup to the same file replaces it; a file that is not a backup is never replaced.
        _ = try await backUp(.sqlite(path: sourcePath))
        let error = await #expect(throws: StoreError.self) { try await StoreBackup(from: .sqlite(path: sourcePath), to: sourcePath).run() }
        #expect(error?.message.contains("is not a Coffer backup") == true)
    }

    @Test func aDamagedOrForeignFileIsRefusedAndTheTargetStaysEmpty() async throws {
        let (_, sourcePath) = try await makeSource()
        let (file, _) = try await backUp(.sqlite(path: sourcePath))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        let lastLine = try #require(bytes.dropLast().lastIndex(of: UInt8(ascii: "\n"))) + 1
        let cases: [(name: String, data: Data, message: String)] = [
            ("a flipped byte", flipped, "its checksum does not match its contents"),
            ("cut mid-line", bytes.prefix(bytes.count - 20), "is truncated"),
            ("cut before its checksum line", bytes.prefix(lastLine), "is truncated"),
            ("rows changed, checksum recomputed", try Self.rewritten(bytes, replacing: "\"Other\"", with: "\"Othex\""), "do not match the digest"),
            ("a SQLite file", try Data(contentsOf: URL(fileURLWithPath: sourcePath)), "is not a Coffer backup"),
            ("empty", Data(), "is not a Coffer backup"),
        ]
        for damage in cases {
            let damaged = TemporaryDirectory().path + "/damaged.backup"
            try damage.data.write(to: URL(fileURLWithPath: damaged))
            let directory = TemporaryDirectory().path
            let error = await #expect(throws: StoreError.self, "\(damage.name)") {
                try await restore(damaged, intoSQLiteAt: directory + "/coffer.sqlite")
            }
            #expect(error?.message.contains(damage.message) == true, "\(damage.name): \(error?.message ?? "")")
            #expect(error?.message.contains("nothing was changed") == true, "\(damage.name)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "\(damage.name)")
        }
    }

    /// `bytes` with one string replaced and the checksum line made anew: damage only the header's digests can show.
    static func rewritten(_ bytes: Data, replacing old: String, with new: String) throws -> Data {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast(2)  // the checksum line, and the empty string after the last newline
        lines = lines.map { $0.hasPrefix("[") ? $0.replacingOccurrences(of: old, with: new) : $0 }
        // The checksum is a plain SHA-256 of every byte before its line, as `head -n -1 FILE | sha256sum` computes it.
        let body = Data(lines.map { $0 + "\n" }.joined().utf8)
        var checksum = ByteDigest()
        checksum.add(body)
        return body + Data(("checksum " + checksum.hex + "\n").utf8)
    }

    @Test func aTargetThatHoldsDataIsRefusedAndLeftUnchanged() async throws {
        let (_, sourcePath) = try await makeSource()
        let (file, _) = try await backUp(.sqlite(path: sourcePath))
        let path = TemporaryDirectory().path + "/coffer.sqlite"
        let other = try SQLiteStore(path: path, masterKey: key)
        try await other.bootstrap(team: Fixtures.team, token: Fixtures.token)
        let before = try await MigrationFixture.contents(of: other)
        let error = await #expect(throws: StoreError.self) { try await restore(file, intoSQLiteAt: path) }
        #expect(error?.code == .notEmpty)
        #expect(error?.message.contains("is not empty: it holds rows in team (1), token (1)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("nothing was changed") == true)
        #expect(try await MigrationFixture.contents(of: other) == before)

        // A store that was opened but never written to is empty, and a fine target.
        let empty = TemporaryDirectory().path + "/coffer.sqlite"
        try SQLiteStore(path: empty, masterKey: key).close()
        #expect(try await restore(file, intoSQLiteAt: empty).isVerified)
    }

    @Test func aWrongMasterKeyIsRefusedBeforeAnythingIsWritten() async throws {
        let (_, sourcePath) = try await makeSource()
        let (file, _) = try await backUp(.sqlite(path: sourcePath))
        let directory = TemporaryDirectory().path
        let error = await #expect(throws: StoreError.self) {
            try await restore(file, intoSQLiteAt: directory + "/coffer.sqlite", keyring: MasterKeyring(primary: .generate()))
        }
        #expect(error?.code == .masterKeyMismatch)
        #expect(error?.message.contains(key.id) == true && error?.message.contains("nothing was changed") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        // A ring that holds the key among others opens it.
        let ring = MasterKeyring(primary: .generate(), others: [key])
        #expect(try await restore(file, intoSQLiteAt: directory + "/coffer.sqlite", keyring: ring).isVerified)
    }

    @Test(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
    func aBackupRestoresIntoPostgreSQLAndABackupOfThatHoldsTheSameRows() async throws {
        let (source, sourcePath) = try await makeSource()
        let (file, header) = try await backUp(.sqlite(path: sourcePath))
        let configuration = try await PostgresTestDatabase.configuration(schema: try await PostgresTestDatabase.makeSchema())
        let target = PostgresTestDatabase.store(configuration: configuration, masterKey: key)
        let otherKey = PostgresTestDatabase.store(configuration: configuration, masterKey: .generate())
        try await target.whileRunning {
            // Refused before the database is touched: not even the schema is made.
            let damaged = TemporaryDirectory().path + "/damaged.backup"
            try Data(contentsOf: URL(fileURLWithPath: file)).dropLast(10).write(to: URL(fileURLWithPath: damaged))
            let truncated = await #expect(throws: StoreError.self) { try await StoreRestore(from: damaged, into: .postgres(target)).run() }
            #expect(truncated?.message.contains("is truncated") == true)
            let wrongKey = await #expect(throws: StoreError.self) {
                try await otherKey.whileRunning { try await StoreRestore(from: file, into: .postgres(otherKey)).run() }
            }
            #expect(wrongKey?.code == .masterKeyMismatch)
            let touched = try await target.hasSchema()
            #expect(!touched)

            let (report, _) = try await StoreRestore(from: file, into: .postgres(target)).run()
            #expect(report.isVerified && report.openedRecords > 50)
            #expect(report.kinds.map(\.name) == MigratedTable.all.map(\.name) + ["audit_head"])

            // Backed up from PostgreSQL: the same rows in the same order, so the same counts and digests.
            let (again, postgresHeader) = try await backUp(.postgres(configuration))
            #expect(postgresHeader.source == "postgres" && postgresHeader.tables == header.tables)
            let path = TemporaryDirectory().path + "/coffer.sqlite"
            #expect(try await restore(again, intoSQLiteAt: path).isVerified)

            let refused = await #expect(throws: StoreError.self) { try await StoreRestore(from: file, into: .postgres(target)).run() }
            #expect(refused?.code == .notEmpty && refused?.message.contains("restore into an empty database") == true)
            try await expectSameContents(target, as: source)
            try await expectSameContents(try SQLiteStore(path: path, masterKey: key), as: source)
        }
    }
}
