import CofferAPI
import CofferCore
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Section 12 of the contract over a real socket: a change set's plan, its one transaction, the first failing
/// operation's own status with details keyed `operations[i]`, and the single routes' permissions.
@Suite struct ChangeSetRoutesTests {
    static let route = "/v1/projects/demo/change-sets"

    /// `shared` (unrestricted, priority 10) and `web` (restricted to tag `web`, priority 20); services `api` (tagged
    /// `web`) and `worker` (untagged).
    static func seed(_ client: some TestClientProtocol) async throws {
        for body in [
            #"{"name": "Shared", "secretType": "environment", "priority": 10, "secrets": {"variables": {"DB_HOST": "a", "MOVE": "m", "LOG": "0"}}}"#,
            #"{"name": "Web", "secretType": "environment", "priority": 20, "restrictions": {"restricted": true, "tags": ["web"]},"#
                + #" "secrets": {"variables": {"LOG": "1"}}}"#,
        ] {
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: body).status == .ok)
        }
        #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "api", "tags": ["web"]}"#).status == .ok)
        #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "worker"}"#).status == .ok)
    }

    /// Moves `MOVE` from shared to web, changes `DB_HOST`, adds `NEW` in web.
    static let moveKey = #"""
        {"operations": [
          {"op": "put", "ifMatch": "\"1\"", "body": {"name": "Shared", "secretType": "environment", "priority": 10,
            "secrets": {"variables": {"DB_HOST": "b-secret-value", "LOG": "0"}}}},
          {"op": "patch", "secretId": "web", "body": {"secrets": {"variables": {"LOG": "1", "MOVE": "m", "NEW": "n-secret-value"}}}}
        ]DRY}
        """#

    static func decode(_ response: TestResponse) throws -> ChangeSetResource {
        struct Envelope: Decodable { var data: ChangeSetResource }
        return try JSONDecoder().decode(Envelope.self, from: Data(buffer: response.body)).data
    }

    @Test func thePlanNamesEachWorkloadsKeysAndTheSetCommitsAsOne() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            try await Self.seed(client)
            let since = try await client.send(.get, "/v1/projects/demo/changes").data["revision"] as? Int

            let dry = try await client.send(.post, Self.route, json: Self.moveKey.replacing("DRY", #", "dryRun": true"#))
            #expect(dry.status == .ok)
            let planned = try Self.decode(dry)
            #expect(planned.dryRun && planned.firstRevision == nil && planned.revision == Int64(since ?? -1))
            #expect(planned.changedSecrets == ["shared", "web"])
            // Only api sees web; worker sees shared alone, so it loses MOVE and its DB_HOST changes.
            let api = try #require(planned.plan.workloads.first { $0.id == "api" })
            #expect(api.kind == .service && api.phase == .runtime)
            #expect(api.added.map(\.key) == ["NEW"] && api.added.first?.inheritedFrom == "web")
            #expect(api.changed.map(\.key) == ["DB_HOST"] && api.changed.first?.inheritedFrom == "shared")
            #expect(api.moved.map(\.key) == ["MOVE"] && api.moved.first?.inheritedFrom == "web" && api.moved.first?.previouslyFrom == "shared")
            #expect(api.removed.isEmpty)
            let worker = try #require(planned.plan.workloads.first { $0.id == "worker" })
            #expect(worker.removed.map(\.key) == ["MOVE"] && worker.removed.first?.previouslyFrom == "shared")
            #expect(worker.changed.map(\.key) == ["DB_HOST"] && worker.added.isEmpty)
            #expect(planned.plan.workloads.count == 2, "runtime only: no group feeds the build phase")
            #expect(!dry.text.contains("secret-value"), "a plan names keys, never values")
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/shared").headers[.eTag] == "\"1\"", "a dry run writes nothing")

            let applied = try await client.send(.post, Self.route, json: Self.moveKey.replacing("DRY", ""))
            #expect(applied.status == .ok)
            let done = try Self.decode(applied)
            #expect(!done.dryRun && done.plan == planned.plan && done.results.map(\.version) == [2, 2])
            let first = try #require(done.firstRevision)
            #expect(first == Int64(since ?? -1) + 1 && done.revision == first + 1, "one revision per group, consecutive")
            #expect(!applied.text.contains("secret-value"))
            let changes = try await client.send(.get, "/v1/projects/demo/changes?since=\(since ?? 0)")
            let feed = try #require(try changes.data["changes"] as? [[String: Any]])
            #expect(feed.map { $0["resourceId"] as? String } == ["shared", "web"])
            #expect(feed.map { $0["revision"] as? Int } == [Int(first), Int(first) + 1])
            let environment = try await client.send(.get, "/v1/projects/demo/services/api/runtime-environment")
            #expect((try environment.data["runtimeEnvironment"] as? [String: String])?["NEW"] == "n-secret-value")

            // Again: nothing to change, an empty plan, no revision taken.
            let again = try Self.decode(try await client.send(.post, Self.route, json: Self.moveKey.replacing(#""ifMatch": "\"1\"", "#, "").replacing("DRY", "")))
            #expect(again.changedSecrets.isEmpty && again.plan.workloads.isEmpty && again.firstRevision == nil && again.revision == done.revision)
            // The team form is the same route.
            let teamForm = try await client.send(.post, "/v1/teams/default/projects/demo/change-sets", json: #"{"operations": [{"op": "delete", "secretId": "web"}], "dryRun": true}"#)
            #expect(try Self.decode(teamForm).changedSecrets == ["web"])
        }
    }

    @Test func theFirstFailingOperationAnswersItsOwnStatusAndNothingChanges() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            try await Self.seed(client)
            let before = try await client.send(.get, "/v1/projects/demo/changes").data["revision"] as? Int
            let put = #"{"op": "put", "body": {"name": "Fresh", "secretType": "environment", "priority": 1}}"#
            let cases: [(body: String, status: HTTPResponse.Status, key: String)] = [
                (#"{"operations": [\#(put), {"op": "put", "body": {"name": "Bad", "secretType": "environment", "priority": "high"}}]}"#,
                 .badRequest, "operations[1].body.priority"),
                (#"{"operations": [\#(put), {"op": "rename", "secretId": "web"}]}"#, .badRequest, "operations[1].op"),
                (#"{"operations": [{"op": "delete"}]}"#, .badRequest, "operations[0].secretId"),
                (#"{"operations": [{"op": "delete", "secretId": "web", "body": {}}]}"#, .badRequest, "operations[0].body"),
                (#"{"operations": [{"op": "delete", "secretId": "web", "ifMatch": "3"}]}"#, .badRequest, "operations[0].ifMatch"),
                (#"{"operations": []}"#, .badRequest, "operations"),
                (#"{"operations": [\#(put)], "dryRun": "yes"}"#, .badRequest, "dryRun"),
                (#"{"operations": [\#(put), {"op": "patch", "secretId": "nope", "body": {"priority": 3}}]}"#, .notFound, "operations[1]"),
                (#"{"operations": [\#(put), {"op": "delete", "secretId": "web", "ifMatch": "\"9\""}]}"#, .preconditionFailed, "operations[1]"),
                (#"{"operations": [\#(put), {"op": "unlink", "secretId": "web", "addonId": "db"}]}"#, .notFound, "operations[1]"),
                (#"{"operations": [\#(put), {"op": "link", "secretId": "web", "addonId": "bad id!", "body": {"keys": []}}]}"#,
                 .badRequest, "operations[1].addonId"),
            ]
            for (body, status, key) in cases {
                let response = try await client.send(.post, Self.route, json: body)
                #expect(response.status == status, "\(body)")
                let details = try response.error["details"] as? [String: [String]]
                #expect(details?[key]?.isEmpty == false, "\(key) in \(response.text)")
            }
            let tooMany = "{\"operations\": [" + Array(repeating: put, count: 1001).joined(separator: ",") + "]}"
            let refused = try await client.send(.post, Self.route, json: tooMany)
            #expect(refused.status == .badRequest)
            #expect((try refused.error["details"] as? [String: [String]])?["operations"] == ["must hold at most 1000 operations"])
            #expect(try await client.send(.get, "/v1/projects/demo/changes").data["revision"] as? Int == before, "nothing was changed")
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/fresh").status == .notFound)
            #expect(try await client.send(.post, "/v1/projects/absent/change-sets", json: #"{"operations": [\#(put)]}"#).status == .notFound)
        }
    }

    @Test func eachOperationNeedsItsSingleRoutesPermissions() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            try await Self.seed(client)
            let viewer = try await HistoryRoutesTests.token(role: .viewer, in: fixture)
            let put = #"{"op": "put", "body": {"name": "Fresh", "secretType": "environment", "priority": 1}}"#
            let denied = try await client.send(.post, Self.route, json: #"{"operations": [\#(put)], "dryRun": true}"#, headers: viewer)
            #expect(denied.status == .forbidden)
            #expect((try denied.error["message"] as? String)?.contains(Permission.secretGroupsCreate.name) == true)
            #expect((try denied.error["details"] as? [String: [String]])?["operations[0]"] != nil)

            // A config editor writes config groups, but not a secret-type group, nor turns a config group into one.
            let editor = try await HistoryRoutesTests.token(role: .configEditor, in: fixture)
            let config = #"{"op": "put", "body": {"name": "Flags", "type": "config", "secretType": "environment", "priority": 1}}"#
            let secret = #"{"op": "patch", "secretId": "flags", "body": {"type": "secret"}}"#
            let retype = try await client.send(.post, Self.route, json: #"{"operations": [\#(config), \#(secret)]}"#, headers: editor)
            #expect(retype.status == .forbidden)
            #expect((try retype.error["message"] as? String)?.contains(Permission.secretValuesRead.name) == true)
            #expect((try retype.error["details"] as? [String: [String]])?["operations[1]"] != nil)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/flags").status == .notFound)
            let allowed = try await client.send(.post, Self.route, json: #"{"operations": [\#(config)]}"#, headers: editor)
            #expect(allowed.status == .ok)
            #expect(try Self.decode(allowed).changedSecrets == ["flags"])
        }
    }
}
