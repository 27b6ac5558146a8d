import CofferCore
import CofferCrypto
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The server on PostgreSQL, as `coffer serve --database-url` runs it: the store's pool is a service of the
/// application, and the store is opened and bootstrapped before the server listens.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct PostgresServerTests {
    @Test func aPutIsReadBackOverHTTPAndHealthNamesPostgres() async throws {
        let store = PostgresStore(
            configuration: try await PostgresTestDatabase.configuration(schema: try await PostgresTestDatabase.makeSchema()),
            masterKey: .generate()
        )
        var configuration = ServerConfiguration()
        configuration.port = 0
        let app = buildApplication(configuration: configuration, store: store, services: [store]) {
            _ = try await Startup.prepare(store, presetAdminToken: ServerFixture.adminToken)
            _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: Team.defaultTeamID, at: .now())
        }
        try await app.test(.live) { client in
            let put = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(put.status == .ok)
            #expect(put.headers[.eTag] == "\"1\"")
            let group = try await client.send(.get, "/v1/projects/demo/secrets/example-secret?show=this").data
            let secrets = try #require(group["secrets"] as? [String: Any])
            #expect((secrets["variables"] as? [String: String])?["NODE_ENV"] == "production")
            let health = try await client.execute(uri: "/v1/health", method: .get)
            #expect(try health.data["store"] as? String == "postgres")
            #expect(try await store.auditEntries(AuditQuery(resourceType: .secret, limit: 10)).map(\.resourceId) == ["example-secret"])
        }
    }
}
