import CofferClient
import CofferCore
import CofferCrypto
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// `coffer token` and `coffer audit verify`: the built binary working on a store's data directory, as an operator
/// on the server's machine would, while a server runs on the same file.
@Suite struct StoreCommandTests {
    /// A data directory holding a bootstrapped store with project `demo` and its master key in `master.key`.
    static func dataDirectory() async throws -> (path: String, store: SQLiteStore) {
        let path = ClientProcess.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let key = MasterKey.generate()
        try (key.base64 + "\n").write(toFile: path + "/master.key", atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: path + "/coffer.sqlite", masterKey: key)
        _ = try await Startup.bootstrap(store, presetAdminToken: ClientProcess.token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        return (path, store)
    }

    @Test func tokenCreatePrintsAWorkingTokenOnceAndRevokeStopsIt() async throws {
        let (path, store) = try await Self.dataDirectory()
        var configuration = ServerConfiguration()
        configuration.port = 0
        // The revocation below is made on the store by another process: with no token cache it shows at once.
        configuration.tokenCacheLifetime = .zero
        try await buildApplication(configuration: configuration, store: store).test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))"
            let created = try await ClientProcess.run(
                ["token", "create", "--data-dir", path, "--name", "ci deploy", "--role", "viewer", "--project", "demo", "--expires-in", "30d"],
                url: url
            )
            #expect(created.status == 0, "\(created.err)")
            let secret = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(secret.hasPrefix("coffer_") && !secret.contains("\n"))
            #expect(created.err.contains("viewer"))

            let viewer = APIClient(configuration: ClientConfiguration(baseURL: url, token: secret))
            #expect(try await viewer.list.projects().map(\.id) == ["demo"])

            let listed = try await ClientProcess.run(["token", "list", "--data-dir", path, "-o", "json"], url: url)
            #expect(listed.status == 0)
            #expect(!listed.out.contains(secret))
            let listing = try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [String: Any]
            let tokens = listing?["tokens"] as? [[String: Any]] ?? []
            let id = try #require(tokens.first { $0["name"] as? String == "ci deploy" }?["id"] as? String)

            let revoked = try await ClientProcess.run(["token", "revoke", id, "--data-dir", path], url: url)
            #expect(revoked.status == 0 && revoked.out.contains("Revoked \(id)"))
            let refused = await #expect(throws: APIClientError.self) { try await viewer.list.projects() }
            #expect(refused?.status == 401)

            let unknownRole = try await ClientProcess.run(["token", "create", "--data-dir", path, "--name", "x y z", "--role", "root"], url: url)
            #expect(unknownRole.status == 1)
            #expect(unknownRole.err == "coffer: error: --role must be one of: admin, developer, viewer, config-editor, workload\n")
            let noStore = try await ClientProcess.run(["token", "list", "--data-dir", path + "/nothing-here"], url: url)
            #expect(noStore.status == 1 && noStore.err.contains("does not exist"))
        }
    }

    @Test func auditVerifyPassesAnIntactLogAndNamesAnEditedOrRemovedEntry() async throws {
        let (path, store) = try await Self.dataDirectory()
        for index in 0..<4 {
            _ = try await store.putGroup(
                SecretGroupDefinition(
                    name: "Group \(index)",
                    secretType: .environment,
                    priority: 1,
                    secrets: SecretValues(variables: ["K": "v\(index)"])
                ),
                in: ProjectScope(team: "default", project: "demo"),
                at: .now()
            )
        }
        try store.close()
        let intact = try await ClientProcess.run(["audit", "verify", "--data-dir", path], url: "http://127.0.0.1:1")
        #expect(intact.status == 0, "\(intact.err)")
        #expect(intact.out.hasPrefix("Audit log intact: 6 entries; last hash "))

        let database = try DatabaseQueue(path: path + "/coffer.sqlite")
        try await database.write { try $0.execute(sql: "UPDATE audit_entry SET changed_keys = '[]' WHERE sequence = 4") }
        let edited = try await ClientProcess.run(["audit", "verify", "--data-dir", path], url: "http://127.0.0.1:1")
        #expect(edited.status == 1)
        #expect(edited.err == "coffer: error: the audit log is broken: audit entry 4 was edited: its contents do not match its hash\n")

        try await database.write { try $0.execute(sql: "DELETE FROM audit_entry WHERE sequence IN (3, 4)") }
        let removed = try await ClientProcess.run(["audit", "verify", "--data-dir", path], url: "http://127.0.0.1:1")
        #expect(removed.status == 1)
        #expect(removed.err == "coffer: error: the audit log is broken: audit entry 3 is missing (the next entry found is 5)\n")
    }
}
