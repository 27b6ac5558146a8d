import CofferAPI
import CofferClient
import CofferCore
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// The Swift client against a live server on a real socket.
@Suite struct APIClientTests {
    static let token = "coffer_client-test-token-0123456789abcdefghijkl"

    /// Runs `body` with a client of a fresh server (SQLite, team `default`, project `demo`).
    func withClient(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "coffer-client-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/coffer.sqlite", masterKey: .generate())
        _ = try await Startup.bootstrap(store, presetAdminToken: Self.token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        var configuration = ServerConfiguration()
        configuration.port = 0
        try await buildApplication(configuration: configuration, store: store).test(.live) { testClient in
            let port = try #require(testClient.port)
            try await body(APIClient(configuration: ClientConfiguration(baseURL: "http://127.0.0.1:\(port)/", token: Self.token)))
        }
    }

    @Test func putGetPatchUpdateAndDeleteASecret() async throws {
        try await withClient { client in
            let put = try await client.put.secret(projectId: "demo", data: JSONBody(ReferenceBody.json))
            #expect(put.id == "example-secret" && put.secrets.variables["NODE_ENV"] == "production")
            let read = try await client.get.secret(projectId: "demo", teamId: "default", secretId: "example-secret", show: .this)
            #expect(read == put)
            let patched = try await client.patch.secret(projectId: "demo", secretId: "example-secret", data: JSONBody(#"{"priority": 33}"#))
            #expect(patched.priority == 33 && patched.createdAt == put.createdAt)
            try await client.update.secret(projectId: "demo", secretId: "example-secret", data: JSONBody(#"{"description": "Changed"}"#))
            #expect(try await client.get.secret(projectId: "demo", secretId: "example-secret").description == "Changed")
            let details = try await client.get.secretDetails(projectId: "demo", secretId: "example-secret")
            #expect(details.group.id == "example-secret" && details.warnings.count == 2)
            try await client.delete.secret(projectId: "demo", secretId: "example-secret")
            let error = await #expect(throws: APIClientError.self) { try await client.get.secret(projectId: "demo", secretId: "example-secret") }
            #expect(error?.status == 404 && error?.message == "Secret 'example-secret' not found" && error?.requestId?.isEmpty == false)
        }
    }

    @Test func listSecretsIsAnAsyncSequenceOverEveryPage() async throws {
        try await withClient { client in
            for index in 0..<120 {
                _ = try await client.put.secret(
                    projectId: "demo",
                    data: JSONBody(#"{"name": "Group \#(String(format: "%03d", index))", "secretType": "environment", "priority": 1}"#)
                )
            }
            var ids: [String] = []
            for try await summary in client.list.secrets(projectId: "demo", perPage: 50) { ids.append(summary.id) }
            #expect(ids == (0..<120).map { String(format: "group-%03d", $0) })
            let firstPage = try await client.list.secretsPage(projectId: "demo", perPage: 100)
            #expect(firstPage.pagination.count == 100 && firstPage.pagination.hasNextPage && firstPage.pagination.cursor != nil)
        }
    }

    @Test func addonsLinksWorkloadsAndTheirEffectiveValues() async throws {
        try await withClient { client in
            _ = try await client.create.addon(
                projectId: "demo",
                data: JSONBody(#"{"name": "Example Addon", "type": "mongodb", "credentials": {"USERNAME": "admin"}}"#)
            )
            _ = try await client.put.secret(projectId: "demo", data: JSONBody(ReferenceBody.json))
            let link = try await client.get.secretLink(projectId: "demo", secretId: "example-secret", addonId: "example-addon")
            #expect(link.linked && link.availableKeys == ["USERNAME"])
            let keys = try await client.update.secretLink(
                projectId: "demo",
                secretId: "example-secret",
                addonId: "example-addon",
                data: JSONBody(#"{"keys": [{"keyName": "USERNAME", "aliases": ["DB_USER"]}]}"#)
            )
            #expect(keys.keys.first?.defaultKey == "NF_EXAMPLE-ADDON_USERNAME")
            #expect(try await client.get.addonCredentials(projectId: "demo", addonId: "example-addon").secrets == ["USERNAME": "admin"])
            #expect(try await client.list.addons(projectId: "demo").map(\.id) == ["example-addon"])

            _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Example Service"}"#))
            #expect(try await client.list.workloads(projectId: "demo", kind: .service).map(\.id) == ["example-service"])
            let runtime = try await client.get.effectiveValues(
                projectId: "demo",
                kind: .service,
                id: "example-service",
                phase: .runtime,
                replaceTemplatedValues: true
            )
            #expect(runtime.variables["DB_USER"] == "admin" && runtime.variables["NODE_ENV"] == "production")
            let file = String(decoding: runtime.files["/dir/fileName"]?.data ?? Data(), as: UTF8.self)
            #expect(file.hasSuffix("templated production variable"))
            try await client.update.effectiveValues(
                projectId: "demo",
                kind: .service,
                id: "example-service",
                phase: .runtime,
                data: JSONBody(#"{"runtimeEnvironment": {"NODE_ENV": "staging"}}"#)
            )
            let details = try await client.get.effectiveValuesDetails(projectId: "demo", kind: .service, id: "example-service", phase: .runtime)
            #expect(
                details.variables["NODE_ENV"]?.value == "staging"
                    && details.variables["NODE_ENV"]?.overriding.first?.inheritedFrom == "example-secret"
            )
            try await client.delete.secretLink(projectId: "demo", secretId: "example-secret", addonId: "example-addon")
            try await client.delete.workload(projectId: "demo", kind: .service, id: "example-service")
        }
    }

    @Test func errorsCarryStatusMessageDetailsAndRequestId() async throws {
        try await withClient { client in
            let invalid = await #expect(throws: APIClientError.self) {
                try await client.put.secret(projectId: "demo", data: JSONBody(#"{"name": "x", "secretType": "environment", "priority": 1.5}"#))
            }
            #expect(invalid?.status == 400)
            #expect(invalid?.details == ["name": ["must be at least 3 characters long"], "priority": ["must be an integer"]])
            #expect(invalid?.description.contains("priority: must be an integer") == true)
            _ = try await client.create.secret(projectId: "demo", data: JSONBody(ReferenceBody.json))
            let conflict = await #expect(throws: APIClientError.self) {
                try await client.create.secret(projectId: "demo", data: JSONBody(ReferenceBody.json))
            }
            #expect(conflict?.status == 409 && conflict?.message == "There is already a secret with the same derived identifier")
            let unknown = APIClient(
                configuration: ClientConfiguration(baseURL: client.configuration.baseURL, token: "coffer_wrong-token-000000000000000000000")
            )
            let unauthorized = await #expect(throws: APIClientError.self) { try await unknown.list.projects() }
            #expect(unauthorized?.status == 401 && unauthorized?.message == "The token used to authenticate is not valid")
        }
    }

    @Test func unreachableServerIsATransportErrorAfterRetries() async throws {
        var configuration = ClientConfiguration(baseURL: "http://127.0.0.1:1", token: Self.token)
        configuration.retries = 1
        configuration.timeout = .seconds(2)
        let client = APIClient(configuration: configuration)
        let error = await #expect(throws: TransportError.self) { try await client.list.projects() }
        #expect(error?.message.hasPrefix("Cannot reach http://127.0.0.1:1") == true)
        #expect(error?.message.contains(Self.token) == false)
    }
}
