import CofferCore
import CofferCrypto
import CofferPostgresTestSupport
import CofferRuntime
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The server on PostgreSQL: the store opened and bootstrapped before the server listens, then served over HTTP. (The
/// wiring of `coffer serve --database-url` itself, with the pool as a service of the application, is tested through
/// the binary.)
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct PostgresServerTests {
    @Test func aPutIsReadBackOverHTTPAndHealthNamesPostgres() async throws {
        let store = PostgresTestDatabase.store(
            configuration: try await PostgresTestDatabase.configuration(schema: try await PostgresTestDatabase.makeSchema()),
            masterKey: .generate()
        )
        var configuration = ServerConfiguration()
        configuration.port = 0
        // The pool runs in this test, and the store is prepared before the application is built rather than in its
        // `beforeServerStarts`: a preparation failing there leaves `.live` waiting forever (see `LiveStartupTests`).
        try await store.whileRunning {
            _ = try await Startup.prepare(store, presetAdminToken: ServerFixture.adminToken)
            _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: Team.defaultTeamID, at: .now())
            try await buildApplication(configuration: configuration, store: store).test(.live) { client in
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
}
