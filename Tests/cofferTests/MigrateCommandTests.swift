import CofferCore
import CofferCrypto
import CofferPostgres
import CofferPostgresTestSupport
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import GRDB
import Testing

/// The built binary: `coffer migrate` from a data directory into a fresh PostgreSQL database, then `coffer token` and
/// `coffer audit verify` on that database.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct MigrateCommandTests {
    @Test func migrateThenTokenAndAuditVerifyOnTheDatabase() async throws {
        let (path, store) = try await StoreCommandTests.dataDirectory()
        _ = try await store.putGroup(
            SecretGroupDefinition(name: "Group", secretType: .environment, priority: 1, secrets: SecretValues(variables: ["K": "v"])),
            in: ProjectScope(team: "default", project: "demo"),
            at: .now()
        )
        try store.close()
        let database = try await PostgresTestDatabase.makeDatabaseURL()
        let url = Self.text(of: database)
        let noServer = "http://127.0.0.1:1"
        let sqliteVerify = try await ClientProcess.run(["audit", "verify", "--data-dir", path], url: noServer)
        #expect(sqliteVerify.status == 0, "\(sqliteVerify.err)")

        let migrated = try await ClientProcess.run(["migrate", "--from-data-dir", path, "--to-database-url", url], url: noServer)
        #expect(migrated.status == 0, "\(migrated.err)")
        let lines = migrated.out.split(separator: "\n").map(String.init)
        let kinds = lines.dropFirst().dropLast()
        #expect(kinds.count == 11)
        for line in kinds {
            let fields = line.split(separator: " ")
            // kind, source rows, target rows, source digest, target digest
            #expect(fields.count == 5 && fields[1] == fields[2] && fields[3] == fields[4] && fields[3].count == 64, "\(line)")
        }
        #expect(lines.last?.contains("every count and digest matches") == true)
        if let password = database.password { #expect(!migrated.out.contains(password)) }

        let key = ["--master-key-file", path + "/master.key"]
        let postgresVerify = try await ClientProcess.run(["audit", "verify", "--database-url", url] + key, url: noServer)
        #expect(postgresVerify.status == 0, "\(postgresVerify.err)")
        #expect(postgresVerify.out == sqliteVerify.out)

        let again = try await ClientProcess.run(["migrate", "--from-data-dir", path, "--to-database-url", url], url: noServer)
        #expect(again.status == 1)
        #expect(again.err.contains("is not empty") && again.err.contains("nothing was changed"))

        let created = try await ClientProcess.run(
            ["token", "create", "--database-url", url, "--name", "ops", "--role", "admin"],
            url: noServer,
            environment: ["COFFER_MASTER_KEY": try String(contentsOfFile: path + "/master.key", encoding: .utf8)]
        )
        #expect(created.status == 0, "\(created.err)")
        #expect(created.out.hasPrefix("coffer_"))
        let listed = try await ClientProcess.run(["token", "list", "-o", "json"] + key, url: noServer, environment: ["COFFER_DATABASE_URL": url])
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.out.contains("\"ops\"") && listed.out.contains("bootstrap"))
        let after = try await ClientProcess.run(["audit", "verify", "--database-url", url] + key, url: noServer)
        #expect(after.status == 0 && after.out.hasPrefix("Audit log intact: 4 entries"), "\(after.out) \(after.err)")

        let empty = Self.text(of: try await PostgresTestDatabase.makeDatabaseURL())
        let missing = try await ClientProcess.run(["token", "list", "--database-url", empty] + key, url: noServer)
        #expect(missing.status == 1)
        #expect(missing.err.contains("holds no Coffer store"), "\(missing.err)")
    }

    @Test func aMigrateKilledMidCopyLeavesTheTargetEmptyAndARerunCompletes() async throws {
        let (path, store) = try await StoreCommandTests.dataDirectory()
        try store.close()
        // Enough audit rows that the copy takes a while: written straight into the file, since the copy does not
        // check the chain (the rerun's comparison through both stores reads them all the same).
        let database = try DatabaseQueue(path: path + "/coffer.sqlite")
        try await database.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO audit_entry (sequence, at, team_id, actor, action, resource_type, resource_id, changed_keys,
                        changed_fields, previous_hash, hash) VALUES (?, 0, 'default', 'test', 'update', 'secret', 'g', '[]', '[]', x'00', x'00')
                    """
            )
            for sequence in 3...20_002 { try statement.execute(arguments: [sequence]) }
        }
        let target = try await PostgresTestDatabase.makeDatabaseURL()
        let url = Self.text(of: target)
        let migrate = try ClientProcess(
            ["migrate", "--from-data-dir", path, "--to-database-url", url],
            url: "http://127.0.0.1:1",
            directory: ClientProcess.temporaryDirectory()
        )
        // Kill it once its copy transaction holds its lock on `team`, that is, once rows are going in.
        let deadline = ContinuousClock.now + .seconds(30)
        while try await PostgresTestDatabase.integer(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'team' AND l.mode = 'ExclusiveLock'",
            in: target
        ) == 0 {
            #expect(migrate.process.isRunning && ContinuousClock.now < deadline, "\(migrate.standardError)")
            guard migrate.process.isRunning, ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(300))
        migrate.signal(SIGKILL)
        _ = try await migrate.exitStatus()
        #expect(migrate.process.terminationReason == .uncaughtSignal, "finished before it was killed: make the source larger")
        // PostgreSQL ends the killed session's transaction once it notices the closed connection.
        for table in ["team", "token", "audit_entry"] {
            let count = try await PostgresTestDatabase.integer("SELECT count(*) FROM \(table)", in: target)
            #expect(count == 0, "\(table)")
        }

        let rerun = try ClientProcess(
            ["migrate", "--from-data-dir", path, "--to-database-url", url],
            url: "http://127.0.0.1:1",
            directory: ClientProcess.temporaryDirectory()
        )
        // A debug build copies, digests and compares some thousands of rows a second.
        #expect(try await rerun.exitStatus(timeout: .seconds(180)) == 0, "\(rerun.standardOutput) \(rerun.standardError)")
        let audit = rerun.standardOutput.split(separator: "\n").first { $0.hasPrefix("audit_entry ") }?.split(separator: " ")
        #expect(audit?[1] == "20002" && audit?[2] == "20002")
    }

    /// The URL as text, password included (its description masks it).
    static func text(of url: PostgresURL) -> String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = url.username
        components.password = url.password
        components.host = url.host
        components.port = url.port
        components.path = "/" + (url.database ?? "")
        components.queryItems = [URLQueryItem(name: "sslmode", value: url.tlsMode.rawValue)]
        return components.string ?? ""
    }
}
