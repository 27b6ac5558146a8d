import CofferCore
import CofferCrypto
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
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
        #expect(kinds.count == 10)
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
