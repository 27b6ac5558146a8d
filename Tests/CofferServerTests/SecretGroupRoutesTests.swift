import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// List, create, read, partial update and delete of secret groups through the real server.
@Suite struct SecretGroupRoutesTests {
    static func group(_ name: String, priority: Int = 10, extra: String = "") -> String {
        #"{"name": "\#(name)", "secretType": "environment", "priority": \#(priority), "secrets": {"variables": {"K": "v"}}\#(extra)}"#
    }

    @Test func listPagesByCursorAcrossInsertsAndDeletesWithoutValues() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            for index in 1...7 { _ = try await client.send(.put, "/v1/projects/demo/secrets", json: Self.group("Group \(index)")) }
            let first = try await client.send(.get, "/v1/projects/demo/secrets?per_page=3")
            let firstIds = try (first.data["secrets"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(firstIds == ["group-1", "group-2", "group-3"])
            let pagination = try #require(try first.json["pagination"] as? [String: Any])
            #expect(pagination["hasNextPage"] as? Bool == true && pagination["count"] as? Int == 3)
            let cursor = try #require(pagination["cursor"] as? String)
            #expect(try (first.data["secrets"] as? [[String: Any]])?.first?["secrets"] == nil, "lists never carry values")

            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: Self.group("Group 0"))
            #expect(try await client.send(.delete, "/v1/projects/demo/secrets/group-4").status == .ok)
            let second = try await client.send(.get, "/v1/projects/demo/secrets?per_page=3&cursor=\(cursor)")
            #expect(try (second.data["secrets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["group-5", "group-6", "group-7"])
            let last = try #require(try second.json["pagination"] as? [String: Any])
            #expect(last["hasNextPage"] as? Bool == false && last["cursor"] == nil)

            let byPage = try await client.send(.get, "/v1/projects/demo/secrets?per_page=2&page=2")
            #expect(try (byPage.data["secrets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["group-2", "group-3"])
            let clamped = try await client.send(.get, "/v1/projects/demo/secrets?per_page=500")
            #expect(try (clamped.json["pagination"] as? [String: Any])?["count"] as? Int == 7)
            // Larger than an Int is larger than the maximum too (schemathesis sent one): clamped, not refused.
            let huge = try await client.send(.get, "/v1/projects/demo/secrets?per_page=7704684540539625799680")
            #expect(try (huge.json["pagination"] as? [String: Any])?["count"] as? Int == 7)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets?per_page=zero").status == .badRequest)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets?per_page=-3").status == .badRequest)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets?per_page=0").status == .badRequest)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets?cursor=%25%25").status == .badRequest)
        }
    }

    @Test func listDefaultsToFiftyAndClampsToAHundred() async throws {
        let fixture = try await ServerFixture.memory()
        for index in 0..<120 {
            _ = try await fixture.store.putGroup(
                .init(name: String(format: "Group %03d", index), secretType: .environment, priority: 1),
                in: .init(team: "default", project: "demo"),
                at: .now()
            )
        }
        try await fixture.application().test(.router) { client in
            #expect(try (await client.send(.get, "/v1/projects/demo/secrets").json["pagination"] as? [String: Any])?["count"] as? Int == 50)
            let page = try await client.send(.get, "/v1/projects/demo/secrets?per_page=101")
            #expect(try (page.json["pagination"] as? [String: Any])?["count"] as? Int == 100)
        }
    }

    @Test func createIs409OnATakenDerivedId() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let created = try await client.send(.post, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(created.status == .ok)
            #expect(try created.data["id"] as? String == "example-secret")
            let again = try await client.send(.post, "/v1/projects/demo/secrets", json: Self.group("example SECRET"))
            #expect(again.status == .conflict)
            #expect(try again.error["message"] as? String == "There is already a secret with the same derived identifier")
        }
    }

    @Test func patchReplacesPresentFieldsAndSecretsSubMapsOneByOne() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let stored = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: ReferenceBody.json.replacing("\"priority\": 10", "\"priority\": 10, \"stageId\": \"prod\"")
            ).data
            let patched = try await client.send(
                .patch,
                "/v1/projects/demo/secrets/example-secret",
                json: #"{"priority": 42, "tags": ["blue-team"], "restrictions": {"restricted": false}, "secrets": {"variables": {"ONLY": "1"}}}"#
            )
            #expect(patched.status == .ok)
            #expect(patched.headers[.eTag] == "\"2\"")
            let group = try patched.data
            #expect(group["priority"] as? Int == 42)
            #expect(group["tags"] as? [String] == ["blue-team"])
            #expect((group["restrictions"] as? [String: Any])?["nfObjects"] as? [Any] != nil)
            #expect(((group["restrictions"] as? [String: Any])?["nfObjects"] as? [Any])?.isEmpty == true, "restrictions replaced wholesale")
            let secrets = try #require(group["secrets"] as? [String: Any])
            #expect(secrets["variables"] as? [String: String] == ["ONLY": "1"])
            #expect((secrets["files"] as? [String: Any])?.keys.sorted() == ["/dir/fileName"], "absent sub-maps are kept")
            #expect(group["description"] as? String == "A description")
            #expect(group["stageId"] as? String == "prod")
            #expect(group["createdAt"] as? String == stored["createdAt"] as? String)

            let cleared = try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"stageId": null, "description": null}"#)
            #expect(try cleared.data["stageId"] == nil && cleared.data["description"] == nil)

            let renamed = try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"name": "Other"}"#)
            #expect(renamed.status == .badRequest)
            #expect(try (renamed.error["details"] as? [String: [String]])?["name"] == ["cannot be changed; the name is the group's identity"])
            #expect(try await client.send(.patch, "/v1/projects/demo/secrets/missing", json: "{}").status == .notFound)
        }
    }

    @Test func postUpdateAnswersAnEmptyObjectAndRefusesTagsAndStage() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let updated = try await client.send(.post, "/v1/projects/demo/secrets/example-secret", json: #"{"priority": 77}"#)
            #expect(updated.status == .ok)
            #expect(updated.text == #"{"data":{}}"#)
            let group = try await client.send(.get, "/v1/projects/demo/secrets/example-secret").data
            #expect(group["priority"] as? Int == 77)
            let refused = try await client.send(.post, "/v1/projects/demo/secrets/example-secret", json: #"{"tags": ["a-b-c"], "stageId": "abc"}"#)
            #expect(refused.status == .badRequest)
            #expect(try (refused.error["details"] as? [String: [String]])?.keys.sorted() == ["stageId", "tags"])
        }
    }

    @Test func deleteRemovesTheGroupThenAnswers404() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let deleted = try await client.send(.delete, "/v1/projects/demo/secrets/example-secret")
            #expect(deleted.status == .ok && deleted.text == #"{"data":{}}"#)
            let gone = try await client.send(.get, "/v1/projects/demo/secrets/example-secret")
            #expect(gone.status == .notFound)
            #expect(try gone.error["message"] as? String == "Secret 'example-secret' not found")
            #expect(try await client.send(.delete, "/v1/projects/demo/secrets/example-secret").status == .notFound)
        }
    }

    @Test func ifMatchGuardsEveryWriteAndAMismatchChangesNothing() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let created = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(created.headers[.eTag] == "\"1\"")
            var stale = HTTPFields.admin
            stale[.ifMatch] = "\"7\""
            let body = ReferenceBody.json.replacing("\"priority\": 10", "\"priority\": 11")
            for (method, uri, json) in [
                (HTTPRequest.Method.put, "/v1/projects/demo/secrets", body),
                (.patch, "/v1/projects/demo/secrets/example-secret", #"{"priority": 11}"#),
                (.post, "/v1/projects/demo/secrets/example-secret", #"{"priority": 11}"#),
                (.post, "/v1/projects/demo/secrets/example-secret/addons/other", #"{"keys": []}"#),
                (.delete, "/v1/projects/demo/secrets/example-secret", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let response = try await client.send(method, uri, json: json, headers: stale)
                #expect(response.status == .preconditionFailed, "\(method) \(uri)")
            }
            let unchanged = try await client.send(.get, "/v1/projects/demo/secrets/example-secret")
            #expect(unchanged.headers[.eTag] == "\"1\"")
            #expect(try unchanged.data["priority"] as? Int == 10)
            var current = HTTPFields.admin
            current[.ifMatch] = "\"1\""
            let matched = try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"priority": 11}"#, headers: current)
            #expect(matched.status == .ok && matched.headers[.eTag] == "\"2\"")
        }
    }

    @Test func aGroupReadWithGetAndSentBackWithPutChangesNothing() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let body = ReferenceBody.json.replacing("\"priority\": 10", "\"priority\": 10, \"stageId\": \"prod\", \"tags\": [\"red-team\"]")
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: body)
            let read = try await client.send(.get, "/v1/projects/demo/secrets/example-secret?show=this")
            let echoed = try JSONSerialization.jsonObject(with: Data(buffer: read.body)) as? [String: Any]
            let groupJSON = try JSONSerialization.data(withJSONObject: try #require(echoed?["data"]))
            let again = try await client.send(.put, "/v1/projects/demo/secrets", json: String(decoding: groupJSON, as: UTF8.self))
            #expect(again.status == .ok)
            #expect(again.headers[.eTag] == "\"1\"")
            #expect(try again.data["updatedAt"] as? String == read.data["updatedAt"] as? String)
        }
    }
}

extension String {
    /// The string with one unique fragment replaced; fails the test run loudly when the fragment is missing.
    func replacing(_ fragment: String, _ replacement: String) -> String {
        precondition(contains(fragment), "fragment not found")
        return replacingOccurrences(of: fragment, with: replacement)
    }
}
