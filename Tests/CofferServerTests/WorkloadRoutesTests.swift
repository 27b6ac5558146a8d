import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Services and jobs, and the effective configuration the server computes for them.
@Suite struct WorkloadRoutesTests {
    static func group(_ name: String, priority: Int, secretType: String = "environment", variables: String, extra: String = "") -> String {
        #"{"name": "\#(name)", "secretType": "\#(secretType)", "priority": \#(priority), "secrets": {"variables": \#(variables)}\#(extra)}"#
    }

    func environment(_ client: some TestClientProtocol, _ path: String) async throws -> [String: String]? {
        try await client.send(.get, path).data["runtimeEnvironment"] as? [String: String]
    }

    @Test func referenceFileTemplateResolvesForAWorkloadWhoseNodeEnvIsProduction() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "Example Service"}"#).status == .ok)
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let resolved = try await client.send(.get, "/v1/projects/demo/services/example-service/runtime-environment?replaceTemplatedValues=true")
            let files = try #require(try resolved.data["runtimeFiles"] as? [String: [String: String]])
            let data = try #require(files["/dir/fileName"]?["data"])
            #expect(String(decoding: Data(base64Encoded: data) ?? Data(), as: UTF8.self) == "This is an example with a templated production variable")
            let stored = try await client.send(.get, "/v1/projects/demo/services/example-service/runtime-environment")
            let raw = try #require((try stored.data["runtimeFiles"] as? [String: [String: String]])?["/dir/fileName"]?["data"])
            #expect(raw == "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU=", "without the flag values are as stored")

            #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "Other Service"}"#).status == .ok)
            #expect(try await environment(client, "/v1/projects/demo/services/other-service/runtime-environment") == [:], "restricted elsewhere")
        }
    }

    @Test func valuesRoutesAnswerFlatResolvedStringsForTheExternalSecretsOperator() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let variables = #"{"DB_HOST": "db.internal", "DB_URL": "postgres://${DB_HOST}/app"}"#
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: Self.group("Database", priority: 1, variables: variables)).status == .ok)
            for kind in ["services", "jobs"] {
                #expect(try await client.send(.post, "/v1/projects/demo/\(kind)", json: #"{"name": "api", "runtimeEnvironment": {"OWN": "1"}}"#).status == .ok)
                let base = "/v1/projects/demo/\(kind)/api/runtime-environment/values"
                let all = try await client.send(.get, base)
                #expect(all.status == .ok)
                #expect(try all.data as? [String: String] == ["DB_HOST": "db.internal", "DB_URL": "postgres://db.internal/app", "OWN": "1"])
                let one = try await client.send(.get, base + "/DB_URL")
                #expect(try one.data as? [String: String] == ["value": "postgres://db.internal/app"], "templates resolved")
                let missing = try await client.send(.get, base + "/NOPE")
                #expect(missing.status == .notFound)
                #expect((try missing.error["message"] as? String)?.contains("no runtime variable 'NOPE'") == true)
                #expect(try await client.send(.get, "/v1/teams/default/projects/demo/\(kind)/api/runtime-environment/values").status == .ok)
            }
            // A viewer sees no values anywhere, so it is refused here rather than answered the workload's own alone.
            let viewer = try await HistoryRoutesTests.token(role: .viewer, in: fixture)
            let refused = try await client.send(.get, "/v1/projects/demo/services/api/runtime-environment/values", headers: viewer)
            #expect(refused.status == .forbidden)
            #expect(try await client.send(.get, "/v1/projects/demo/services/nope/runtime-environment/values").status == .notFound)
            #expect(try await client.send(.get, "/v1/ready", headers: [:]).status == .ok)
        }
    }

    @Test func manageSecretGroupsExampleAndTheWorkloadsOwnValuesOnTop() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: Self.group("Group A", priority: 50, variables: #"{"KEY_1": "a1", "KEY_2": "a2"}"#)
            )
            _ = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: Self.group("Group B", priority: 20, variables: #"{"KEY_1": "b1", "KEY_2": "b2", "KEY_3": "b3"}"#)
            )
            _ = try await client.send(.post, "/v1/projects/demo/jobs", json: #"{"name": "Nightly", "runtimeEnvironment": {"KEY_2": "own"}}"#)
            let path = "/v1/projects/demo/jobs/nightly/runtime-environment"
            #expect(try await environment(client, path) == ["KEY_1": "a1", "KEY_2": "own", "KEY_3": "b3"])
            #expect(try await environment(client, path + "?show=this") == ["KEY_2": "own"])
            #expect(try await environment(client, path + "?show=inherited") == ["KEY_1": "a1", "KEY_2": "a2", "KEY_3": "b3"])

            let details = try await client.send(.get, path + "/details").data
            let variables = try #require(details["runtimeEnvironment"] as? [String: [String: Any]])
            #expect(variables["KEY_1"]?["inheritedFrom"] as? String == "group-a" && variables["KEY_1"]?["priority"] as? Int == 50)
            let shadowed = try #require(variables["KEY_1"]?["overriding"] as? [[String: Any]])
            #expect(shadowed.map { $0["inheritedFrom"] as? String } == ["group-b"] && shadowed.first?["value"] as? String == "b1")
            #expect(variables["KEY_2"]?["inheritedFrom"] == nil && variables["KEY_2"]?["value"] as? String == "own")
            let underOwn = (variables["KEY_2"]?["overriding"] as? [[String: Any]])?.compactMap { $0["inheritedFrom"] as? String }
            #expect(underOwn == ["group-a", "group-b"])
            #expect(variables["KEY_3"]?["inheritedFrom"] as? String == "group-b")
            let warnings = try #require(details["warnings"] as? [String])
            #expect(warnings.contains { $0.contains("KEY_1 of group 'group-b' can never win") })
        }
    }

    @Test func restrictionsByTagAndStageAndBuildPhaseWithDockerSecretMounts() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let tagged = #", "restrictions": {"restricted": true, "tags": ["web-tier", "eu-west"], "tagMatchCondition": "and"}"#
            _ = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: Self.group("Tagged", priority: 1, variables: #"{"T": "1"}"#, extra: tagged)
            )
            let staged = #", "restrictions": {"restricted": true, "stageIds": ["prod"]}"#
            _ = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: Self.group("Staged", priority: 1, variables: #"{"S": "1"}"#, extra: staged)
            )
            let mount = #", "secrets": {"variables": {"B": "1"}, "dockerSecretMounts": {"npmrc": {"data": "dG9rZW4=", "encoding": "utf-8"}}}"#
            _ = try await client.send(
                .put,
                "/v1/projects/demo/secrets",
                json: #"{"name": "Build Only", "secretType": "arguments", "priority": 1\#(mount)}"#
            )
            _ = try await client.send(
                .post,
                "/v1/projects/demo/services",
                json: #"{"name": "Web", "tags": ["web-tier", "eu-west"], "stageId": "dev"}"#
            )
            _ = try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "Api", "tags": ["web-tier"], "stageId": "prod"}"#)
            #expect(try await environment(client, "/v1/projects/demo/services/web/runtime-environment") == ["T": "1"])
            #expect(try await environment(client, "/v1/projects/demo/services/api/runtime-environment") == ["S": "1"])

            let build = try await client.send(.get, "/v1/projects/demo/services/api/build-arguments").data
            #expect(build["buildArguments"] as? [String: String] == ["B": "1"])
            #expect((build["dockerSecretMounts"] as? [String: [String: String]])?["npmrc"]?["data"] == "dG9rZW4=")
            let buildDetails = try await client.send(.get, "/v1/projects/demo/services/api/build-arguments/details").data
            #expect((buildDetails["dockerSecretMounts"] as? [String: [String: Any]])?["npmrc"]?["inheritedFrom"] as? String == "build-only")
        }
    }

    @Test func ownValuesAreSetPerPhaseAndChangesAreSeenAtOnce() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            _ = try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "Web"}"#)
            let path = "/v1/projects/demo/services/web/runtime-environment"
            #expect(try await environment(client, path) == [:])
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: Self.group("Shared", priority: 10, variables: #"{"A": "1"}"#))
            #expect(try await environment(client, path) == ["A": "1"], "a new group is visible at once")
            let set = try await client.send(.post, path, json: #"{"runtimeEnvironment": {"A": "mine", "B": "${A}-b"}}"#)
            #expect(set.status == .ok)
            #expect(try await environment(client, path + "?replaceTemplatedValues=true") == ["A": "mine", "B": "mine-b"])
            _ = try await client.send(.post, "/v1/projects/demo/services/web/build-arguments", json: #"{"buildArguments": {"VERSION": "2"}}"#)
            let build = try await client.send(.get, "/v1/projects/demo/services/web/build-arguments").data
            #expect(build["buildArguments"] as? [String: String] == ["VERSION": "2"])
            _ = try await client.send(.patch, "/v1/projects/demo/secrets/shared", json: #"{"secrets": {"variables": {"A": "2", "C": "3"}}}"#)
            #expect(try await environment(client, path) == ["A": "mine", "B": "${A}-b", "C": "3"])
            let missing = try await client.send(.post, path, json: #"{"runtimeFiles": {}}"#)
            #expect(try (missing.error["details"] as? [String: [String]])?["runtimeEnvironment"] == ["is required"])
        }
    }

    @Test func workloadsAreCreatedListedPatchedAndDeleted() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let created = try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "Web", "tags": ["edge"], "stageId": "dev"}"#)
            #expect(try created.data["id"] as? String == "web")
            #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "web"}"#).status == .conflict)
            let list = try await client.send(.get, "/v1/projects/demo/services").data
            #expect((list["services"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["web"])
            #expect(try await client.send(.get, "/v1/projects/demo/jobs/web").status == .notFound)
            let patched = try await client.send(.patch, "/v1/projects/demo/services/web", json: #"{"stageId": null, "tags": ["edge", "eu-west"]}"#)
                .data
            #expect(patched["stageId"] == nil && patched["tags"] as? [String] == ["edge", "eu-west"])
            #expect(try await client.send(.patch, "/v1/projects/demo/services/web", json: #"{"name": "Other"}"#).status == .badRequest)
            #expect(try await client.send(.delete, "/v1/projects/demo/services/web").status == .ok)
            let gone = try await client.send(.get, "/v1/projects/demo/services/web/runtime-environment")
            #expect(gone.status == .notFound)
            #expect(try gone.error["message"] as? String == "Service 'web' not found")
        }
    }

    @Test func detailsWarnAboutRestrictionsThatMatchNoWorkload() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            _ = try await client.send(.post, "/v1/projects/demo/jobs", json: #"{"name": "Nightly"}"#)
            let warnings = try await client.send(.get, "/v1/projects/demo/jobs/nightly/runtime-environment/details").data["warnings"] as? [String]
            #expect(warnings?.contains("Group 'example-secret' is restricted to workloads that do not exist: it applies to no workload") == true)
        }
    }
}
