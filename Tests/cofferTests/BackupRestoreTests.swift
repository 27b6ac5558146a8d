import CofferCore
import CofferCrypto
import CofferMigration
import CofferPostgresTestSupport
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import Testing

/// The built binary: `coffer backup` of a data directory (also while `coffer serve` writes to it) and of a database,
/// `coffer restore --from` into a fresh data directory and a fresh database, and its refusals.
@Suite struct BackupRestoreTests {
    static let noServer = "http://127.0.0.1:1"

    /// Runs `coffer arguments...`, with no master key from the environment unless `environment` gives one.
    static func coffer(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, out: String, err: String) {
        try await ClientProcess.run(arguments, url: noServer, environment: ["COFFER_MASTER_KEY": ""].merging(environment) { $1 })
    }

    /// A closed data directory holding a group in two versions and a deleted one, so history holds both kinds.
    static func seededDataDirectory() async throws -> String {
        let (path, store) = try await StoreCommandTests.dataDirectory()
        let scope = ProjectScope(team: "default", project: "demo")
        var definition = SecretGroupDefinition(
            name: "Group",
            secretType: .environment,
            priority: 1,
            secrets: SecretValues(variables: ["K": "plain-value-1"])
        )
        _ = try await store.putGroup(definition, in: scope, at: .now())
        definition.secrets.variables["K"] = "plain-value-2"
        _ = try await store.putGroup(definition, in: scope, at: .now())
        definition.name = "Gone"
        _ = try await store.putGroup(definition, in: scope, at: .now())
        _ = try await store.deleteGroup(id: "gone", in: scope, expectedVersion: nil)
        try store.close()
        return path
    }

    /// The printed table has `count` kinds, each with equal counts and equal 64-digit digests on both sides.
    static func expectMatchingKinds(_ output: String, count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = output.split(separator: "\n")
        let kinds = lines.dropFirst().dropLast()
        #expect(kinds.count == count, "\(output)", sourceLocation: sourceLocation)
        for line in kinds {
            let fields = line.split(separator: " ")
            #expect(
                fields.count == 5 && fields[1] == fields[2] && fields[3] == fields[4] && fields[3].count == 64,
                "\(line)",
                sourceLocation: sourceLocation
            )
        }
        #expect(lines.last?.contains("every count and digest matches") == true, "\(output)", sourceLocation: sourceLocation)
    }

    @Test func backupAndRestoreOfADataDirectoryThroughTheBinary() async throws {
        let path = try await Self.seededDataDirectory()
        let keyFile = path + "/master.key"
        let key = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let file = ClientProcess.temporaryDirectory() + ".backup"
        let backup = try await Self.coffer(["backup", "--data-dir", path, "--to", file])
        #expect(backup.status == 0, "\(backup.err)")
        Self.expectMatchingKinds(backup.out, count: 10)
        #expect(backup.out.contains("no key in it (data keys wrapped by master key id \(try MasterKey(base64: key).id))"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.range(of: Data(key.utf8)) == nil)
        #expect(bytes.range(of: try #require(Data(base64Encoded: key))) == nil)
        #expect(bytes.range(of: Data("plain-value".utf8)) == nil)

        // No key, or the wrong one: refused before the data directory is even made.
        let target = ClientProcess.temporaryDirectory()
        let keyless = try await Self.coffer(["restore", "--from", file, "--data-dir", target])
        #expect(keyless.status == 1 && keyless.err.contains("The backup holds no master key"), "\(keyless.err)")
        let wrongKeyFile = ClientProcess.temporaryDirectory() + ".key"
        try (MasterKey.generate().base64 + "\n").write(toFile: wrongKeyFile, atomically: true, encoding: .utf8)
        let wrong = try await Self.coffer(["restore", "--from", file, "--data-dir", target, "--master-key-file", wrongKeyFile])
        #expect(wrong.status == 1 && wrong.err.contains("The master key does not open this backup"), "\(wrong.err)")
        #expect(!FileManager.default.fileExists(atPath: target))

        let restored = try await Self.coffer(["restore", "--from", file, "--data-dir", target, "--master-key-file", keyFile])
        #expect(restored.status == 0, "\(restored.err)")
        Self.expectMatchingKinds(restored.out, count: 10)
        let sourceVerify = try await Self.coffer(["audit", "verify", "--data-dir", path])
        let targetVerify = try await Self.coffer(["audit", "verify", "--data-dir", target, "--master-key-file", keyFile])
        #expect(sourceVerify.status == 0 && targetVerify.status == 0 && targetVerify.out == sourceVerify.out, "\(targetVerify.err)")
        let store = try SQLiteStore(path: target + "/coffer.sqlite", masterKey: try MasterKey(base64: key))
        let scope = ProjectScope(team: "default", project: "demo")
        #expect(try await store.group(id: "group", in: scope)?.definition.secrets.variables["K"] == "plain-value-2")
        #expect(try await store.groupVersion(id: "group", version: 1, in: scope)?.group?.definition.secrets.variables["K"] == "plain-value-1")
        #expect(try await store.groupVersions(id: "gone", in: scope, before: nil, limit: 10)?.versions.map(\.action) == [.delete, .create])
        try store.close()

        let again = try await Self.coffer(["restore", "--from", file, "--data-dir", target, "--master-key-file", keyFile])
        #expect(again.status == 1 && again.err.contains("is not empty") && again.err.contains("nothing was changed"), "\(again.err)")
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        let damaged = ClientProcess.temporaryDirectory() + ".backup"
        try flipped.write(to: URL(fileURLWithPath: damaged))
        let fresh = ClientProcess.temporaryDirectory()
        let refused = try await Self.coffer(["restore", "--from", damaged, "--data-dir", fresh, "--master-key-file", keyFile])
        #expect(refused.status == 1 && refused.err.contains("its checksum does not match its contents"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
        let truncated = ClientProcess.temporaryDirectory() + ".backup"
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: truncated))
        let cut = try await Self.coffer(["restore", "--from", truncated, "--data-dir", fresh, "--master-key-file", keyFile])
        #expect(cut.status == 1 && cut.err.contains("is truncated"), "\(cut.err)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func restoreStillRestoresResourcesAndWantsOneTarget() async throws {
        let help = try await Self.coffer(["restore", "--help"])
        #expect(help.status == 0 && help.out.contains("--from <file>") && help.out.contains("secret") && help.out.contains("project"))
        let secret = try await Self.coffer(["restore", "secret", "--help"])
        #expect(secret.status == 0 && secret.out.contains("--secretId"))
        let noTarget = try await Self.coffer(["restore", "--from", "x.backup"])
        #expect(noTarget.status == 64 && noTarget.err.contains("Pass --data-dir DIR or --database-url URL"), "\(noTarget.err)")
        let noFile = try await Self.coffer(["restore", "--data-dir", "x"])
        #expect(noFile.status == 64 && noFile.err.contains("Pass --from FILE"), "\(noFile.err)")
        let noSource = try await Self.coffer(["backup", "--to", "x.backup"])
        #expect(noSource.status == 64 && noSource.err.contains("Pass --data-dir DIR or --database-url URL"), "\(noSource.err)")
        let missing = try await Self.coffer(["backup", "--data-dir", ClientProcess.temporaryDirectory(), "--to", "x.backup"])
        #expect(missing.status == 1 && missing.err.contains("does not exist"), "\(missing.err)")
    }

    /// PUTs to a few groups over and over until `stop`, counting the answers that were 200.
    static func traffic(port: Int, until stop: Shared<Bool>, written: Shared<Int>) async throws {
        var counter = 0
        while !stop.value {
            counter += 1
            let body = #"{"name": "Live \#(counter % 4)", "secretType": "environment", "priority": 1, "#
                + #""secrets": {"variables": {"N": "\#(counter)"}}}"#
            let put = try await ServerProcess.request(.put, "/v1/projects/demo/secrets", port: port, token: ClientProcess.token, body: body)
            #expect(put.status == .ok)
            if put.status == .ok { written.update { $0 += 1 } }
        }
    }

    @Test func backupsTakenWhileTheServerWritesRestoreToConsistentStates() async throws {
        let (path, store) = try await StoreCommandTests.dataDirectory()
        try store.close()
        let keyFile = path + "/master.key"
        let server = try ServerProcess(arguments: ["--data-dir", path])
        let port = try await server.port()
        let stop = Shared(false)
        let written = Shared(0)
        async let traffic: Void = Self.traffic(port: port, until: stop, written: written)
        try await KeyRotationProcessTests.waitUntil { written.value >= 5 }
        let before = written.value
        // At least three backups, and more (up to twelve) until the last starts after a write that was sent once the
        // first had finished (the writer is sequential: two more acknowledged writes), so the first and the last see
        // different moments however the machine's load paces the writer.
        var files: [String] = []
        var afterFirst = 0
        var lastStarted = 0
        repeat {
            lastStarted = written.value
            let file = ClientProcess.temporaryDirectory() + ".backup"
            let backup = try await Self.coffer(["backup", "--data-dir", path, "--to", file])
            #expect(backup.status == 0, "\(backup.err)")
            files.append(file)
            if files.count == 1 { afterFirst = written.value }
        } while files.count < 3 || (lastStarted < afterFirst + 2 && files.count < 12)
        let during = written.value - before
        stop.value = true
        try await traffic
        server.signal(SIGTERM)
        _ = try await server.exitStatus()
        #expect(during > 0, "the server wrote nothing while the backups ran")

        let key = try MasterKey(base64: try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        var versions: [Int] = []
        for file in files {
            let target = ClientProcess.temporaryDirectory()
            let restored = try await Self.coffer(["restore", "--from", file, "--data-dir", target, "--master-key-file", keyFile])
            #expect(restored.status == 0, "\(restored.out) \(restored.err)")
            let verify = try await Self.coffer(["audit", "verify", "--data-dir", target, "--master-key-file", keyFile])
            #expect(verify.status == 0 && verify.out.hasPrefix("Audit log intact"), "\(verify.out) \(verify.err)")
            // Every group's current version has its history row, and the log has an entry for each version.
            let store = try SQLiteStore(path: target + "/coffer.sqlite", masterKey: key)
            let scope = ProjectScope(team: "default", project: "demo")
            let groups = try await store.groups(in: scope)
            #expect(!groups.isEmpty)
            for group in groups {
                #expect(try await store.groupVersion(id: group.id, version: group.version, in: scope)?.group == group, "\(group.id)")
            }
            let total = groups.reduce(0) { $0 + $1.version }
            let entries = try await store.auditEntries(AuditQuery(limit: 10_000)).filter { $0.resourceType == .secret }
            #expect(entries.count == total)
            versions.append(total)
            try store.close()
        }
        #expect(versions == versions.sorted() && Set(versions).count > 1, "\(versions)")
    }

    @Test(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
    func restoreIntoADatabaseAndBackUpFromItThroughTheBinary() async throws {
        let path = try await Self.seededDataDirectory()
        let keyFile = path + "/master.key"
        let file = ClientProcess.temporaryDirectory() + ".backup"
        #expect(try await Self.coffer(["backup", "--data-dir", path, "--to", file]).status == 0)
        let database = try await PostgresTestDatabase.makeDatabaseURL()
        let url = MigrateCommandTests.text(of: database)

        let keyless = try await Self.coffer(["restore", "--from", file, "--database-url", url])
        #expect(keyless.status == 1 && keyless.err.contains("--master-key-file"), "\(keyless.err)")
        let restored = try await Self.coffer(["restore", "--from", file, "--database-url", url, "--master-key-file", keyFile])
        #expect(restored.status == 0, "\(restored.err)")
        Self.expectMatchingKinds(restored.out, count: 11)
        if let password = database.password { #expect(!restored.out.contains(password)) }
        let sourceVerify = try await Self.coffer(["audit", "verify", "--data-dir", path])
        let postgresVerify = try await Self.coffer(["audit", "verify", "--database-url", url, "--master-key-file", keyFile])
        #expect(postgresVerify.status == 0 && postgresVerify.out == sourceVerify.out, "\(postgresVerify.err)")
        let keyText = try String(contentsOfFile: keyFile, encoding: .utf8)
        let again = try await Self.coffer(["restore", "--from", file, "--database-url", url], environment: ["COFFER_MASTER_KEY": keyText])
        #expect(again.status == 1 && again.err.contains("is not empty") && again.err.contains("nothing was changed"), "\(again.err)")

        let second = ClientProcess.temporaryDirectory() + ".backup"
        let fromPostgres = try await Self.coffer(["backup", "--database-url", url, "--to", second])
        #expect(fromPostgres.status == 0, "\(fromPostgres.err)")
        Self.expectMatchingKinds(fromPostgres.out, count: 10)
        #expect(try BackupFile(contentsOf: second).header.tables == BackupFile(contentsOf: file).header.tables)
        let target = ClientProcess.temporaryDirectory()
        let back = try await Self.coffer(["restore", "--from", second, "--data-dir", target, "--master-key-file", keyFile])
        #expect(back.status == 0, "\(back.err)")
        let targetVerify = try await Self.coffer(["audit", "verify", "--data-dir", target, "--master-key-file", keyFile])
        #expect(targetVerify.out == sourceVerify.out)
    }
}
