import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST|GET /v1/projects`, `GET|DELETE /v1/projects/{projectId}` on both route forms.
@Suite struct ProjectRoutesTests {
    @Test func projectsAreCreatedWithDerivedIdsListedReadAndDeleted() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let created = try await client.send(.post, "/v1/projects", json: #"{"name": "Payments API", "description": "Card flows"}"#)
            #expect(created.status == .ok)
            #expect(try created.data["id"] as? String == "payments-api")
            #expect(try created.data["description"] as? String == "Card flows")

            let duplicate = try await client.send(.post, "/v1/projects", json: #"{"name": "payments API"}"#)
            #expect(duplicate.status == .conflict)

            let list = try await client.send(.get, "/v1/teams/default/projects")
            let projects = try #require(try list.data["projects"] as? [[String: Any]])
            #expect(projects.compactMap { $0["id"] as? String } == ["demo", "payments-api"])
            let pagination = try #require(try list.json["pagination"] as? [String: Any])
            #expect(pagination["hasNextPage"] as? Bool == false)
            #expect(pagination["count"] as? Int == 2)
            #expect(pagination["cursor"] == nil)

            #expect(try await client.send(.get, "/v1/projects/payments-api").data["name"] as? String == "Payments API")
            #expect(try await client.send(.delete, "/v1/projects/payments-api").status == .ok)
            let gone = try await client.send(.get, "/v1/projects/payments-api")
            #expect(gone.status == .notFound)
            #expect(try gone.error["message"] as? String == "Project 'payments-api' not found")
            #expect(try await client.send(.delete, "/v1/projects/payments-api").status == .notFound)
        }
    }

    @Test func deletingAProjectDeletesItsGroups() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            #expect(try await client.send(.delete, "/v1/projects/demo").status == .ok)
            #expect(try await client.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#).status == .ok)
            let recreated = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(recreated.headers[.eTag] == "\"1\"")
        }
    }

    @Test func invalidProjectBodyNamesTheFields() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.post, "/v1/projects", json: #"{"name": "no", "description": "", "region": "eu"}"#)
            #expect(response.status == .badRequest)
            let details = try #require(try response.error["details"] as? [String: [String]])
            #expect(details["name"] == ["must be at least 3 characters long"])
            #expect(details["description"]?.first?.hasPrefix("must match") == true)
            #expect(details["region"] == ["is not a known field"])
        }
    }
}
