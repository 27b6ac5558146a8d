import CofferCore
import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /v1/projects/{p}/audit` and `GET /v1/audit`: what the API records of each request, and the filters.
@Suite struct AuditRoutesTests {
    @Test func eachAcceptedChangeIsRecordedWithItsTokenRouteAndRequestIdAndNoValues() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.router) { client in
            let put = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let requestId = try #require(put.headers[HTTPField.Name("X-Request-Id")!])
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            #expect(try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"priority": 1}"#).status == .ok)
            #expect(try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"priority": 999}"#).status == .badRequest)

            let response = try await client.send(.get, "/v1/projects/demo/audit?resourceType=secret")
            #expect(response.status == .ok)
            let entries = try #require(try response.data["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["create", "update"])
            #expect(entries[0]["route"] as? String == "PUT /v1/projects/demo/secrets")
            #expect(entries[0]["requestId"] as? String == requestId)
            #expect((entries[0]["actor"] as? String)?.hasPrefix("admin-") == true)
            #expect(entries[0]["changedKeys"] as? [String] == ["/dir/fileName", "MONGO_DB", "NODE_ENV", "example-secret-mount_1"])
            #expect(entries[1]["changedFields"] as? [String] == ["priority"])
            #expect(!response.text.contains("production") && !response.text.contains("some_connection_string"))

            let teamWide = try await client.send(.get, "/v1/audit?resourceType=token").data["entries"] as? [[String: Any]]
            #expect(teamWide?.count == 1)
        }
    }

    @Test func filtersAreCheckedAndPagesFollowTheCursor() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            for index in 0..<3 {
                _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json.replacing("Example Secret", "Group \(index)"))
            }
            let first = try await client.send(.get, "/v1/projects/demo/audit?resourceType=secret&per_page=2")
            let pagination = try #require(try first.json["pagination"] as? [String: Any])
            #expect(pagination["hasNextPage"] as? Bool == true)
            let cursor = try #require(pagination["cursor"] as? String)
            let second = try await client.send(.get, "/v1/projects/demo/audit?resourceType=secret&per_page=2&cursor=\(cursor)")
            #expect((try second.data["entries"] as? [[String: Any]])?.map { $0["resourceId"] as? String } == ["group-2"])
            #expect((try second.json["pagination"] as? [String: Any])?["cursor"] == nil)

            let bad = try await client.send(.get, "/v1/projects/demo/audit?action=explode&since=yesterday&page=2")
            #expect(bad.status == .badRequest)
            #expect(
                try bad.error["details"] as? [String: [String]] == [
                    "action": ["must be one of: create, update, delete, revoke, rollback, restore"],
                    "since": ["must be an RFC 3339 timestamp such as 2026-11-28T17:00:00.000Z"],
                    "page": ["is not supported here; page with cursor"],
                ]
            )
            #expect(try await client.send(.get, "/v1/projects/ghost/audit").status == .notFound)
        }
    }
}
