import CofferCore
import CofferRuntime
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `PUT /v1/projects/{projectId}/secrets` through the real HTTP server on a real socket.
@Suite struct PutSecretTests {
    @Test func referenceBodyIsCreatedAndEchoedWithDefaultsAndIdentity() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"1\"")
            let group = try response.data
            #expect(group["id"] as? String == "example-secret")
            #expect(group["projectId"] as? String == "demo")
            #expect(group["name"] as? String == "Example Secret")
            #expect(group["description"] as? String == "A description")
            #expect(group["type"] as? String == "secret")
            #expect(group["secretType"] as? String == "environment")
            #expect(group["priority"] as? Int == 10)
            #expect(group["tags"] as? [String] == [])
            let restrictions = try #require(group["restrictions"] as? [String: Any])
            #expect(restrictions["restricted"] as? Bool == true)
            #expect(restrictions["tags"] as? [String] == [])
            #expect(restrictions["stageIds"] as? [String] == [])
            #expect(restrictions["tagMatchCondition"] as? String == "or")
            #expect((restrictions["nfObjects"] as? [[String: String]]) == [["id": "example-service", "type": "service"]])
            let secrets = try #require(group["secrets"] as? [String: Any])
            #expect(secrets["variables"] as? [String: String] == ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"])
            let file = (secrets["files"] as? [String: [String: String]])?["/dir/fileName"]
            #expect(file == ["data": "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU=", "encoding": "utf-8"])
            #expect((secrets["dockerSecretMounts"] as? [String: [String: String]])?["example-secret-mount_1"] == file)
            let dependencies = try #require(group["addonDependencies"] as? [[String: Any]])
            #expect(dependencies.first?["addonId"] as? String == "example-addon")
            #expect((group["externalAddonDependencies"] as? [[String: Any]])?.count == 1)
            let createdAt = try #require(group["createdAt"] as? String)
            #expect(Timestamp(rfc3339: createdAt) != nil)
            #expect(createdAt.hasSuffix("Z") && createdAt.count == 24)
            #expect(group["updatedAt"] as? String == createdAt)
            #expect(group["stageId"] == nil)
        }
    }

    @Test func secondPutReplacesKeepingCreatedAtAndAnUnchangedPutIsANoOp() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let first = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).data
            try await Task.sleep(for: .milliseconds(5))
            let changed = ReferenceBody.replacing(#""priority": 10"#, with: #""priority": 20, "tags": ["team-a"]"#)
                .replacing(#""MONGO_DB": "some_connection_string""#, with: #""OTHER": "x""#)
            let second = try await client.send(.put, "/v1/projects/demo/secrets", json: changed)
            #expect(second.headers[.eTag] == "\"2\"")
            let updated = try second.data
            #expect(updated["createdAt"] as? String == first["createdAt"] as? String)
            #expect(updated["updatedAt"] as? String != first["updatedAt"] as? String)
            #expect(updated["priority"] as? Int == 20)
            #expect(updated["tags"] as? [String] == ["team-a"])
            #expect((updated["secrets"] as? [String: Any])?["variables"] as? [String: String] == ["NODE_ENV": "production", "OTHER": "x"])

            let minimal = #"{"name": "example secret", "secretType": "arguments", "priority": 0}"#
            let replaced = try await client.send(.put, "/v1/projects/demo/secrets", json: minimal).data
            #expect(replaced["description"] == nil)
            #expect(replaced["addonDependencies"] as? [Any] != nil && (replaced["addonDependencies"] as? [Any])?.isEmpty == true)
            #expect((replaced["restrictions"] as? [String: Any])?["restricted"] as? Bool == false)
            #expect((replaced["secrets"] as? [String: Any])?["files"] as? [String: Any] != nil)
            #expect(((replaced["secrets"] as? [String: Any])?["files"] as? [String: Any])?.isEmpty == true)

            let again = try await client.send(.put, "/v1/projects/demo/secrets", json: minimal)
            #expect(again.headers[.eTag] == "\"3\"")
            #expect(try again.data["updatedAt"] as? String == replaced["updatedAt"] as? String)
        }
        let stored = try #require(try await fixture.store.group(id: "example-secret", in: ProjectScope(team: "default", project: "demo")))
        #expect(stored.version == 3)
    }

    @Test func concurrentPutsOfOneNewNameAllSucceedOverSeparateConnections() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        let connection = TestClient(host: "127.0.0.1", port: port)
                        connection.connect()
                        let body = ReferenceBody.replacing(#""NODE_ENV": "production""#, with: #""WRITER": "\#(writer)""#)
                        var headers = HTTPFields.admin
                        headers[.contentLength] = String(body.utf8.count)
                        let response = try await connection.put("/v1/projects/demo/secrets", headers: headers, body: ByteBuffer(string: body))
                        try await connection.shutdown()
                        return response.status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .ok, count: 8))
        }
        let stored = try #require(try await fixture.store.group(id: "example-secret", in: ProjectScope(team: "default", project: "demo")))
        #expect(stored.version == 8)
    }

    @Test func teamRouteFormBehavesTheSameAndRefusesOtherTeams() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.put, "/v1/teams/default/projects/demo/secrets", json: ReferenceBody.json)
            #expect(response.status == .ok)
            #expect(try response.data["id"] as? String == "example-secret")
            let other = try await client.send(.put, "/v1/teams/other-team/projects/demo/secrets", json: ReferenceBody.json)
            #expect(other.status == .forbidden)
            #expect(try other.error["message"] as? String == "The token used to authenticate does not belong to team 'other-team'")
        }
    }

    @Test func unknownProjectIsA404NamingIt() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.put, "/v1/projects/nowhere/secrets", json: ReferenceBody.json)
            #expect(response.status == .notFound)
            #expect(try response.error["message"] as? String == "Project 'nowhere' not found")
        }
    }

    @Test func groupWrittenOverHTTPSurvivesAServerRestartOnTheSameDataDirectory() async throws {
        let directory = TemporaryPath.make()
        let configuration = { () -> ServerConfiguration in
            var configuration = ServerConfiguration()
            configuration.dataDirectory = directory
            configuration.adminToken = ServerFixture.adminToken
            configuration.port = 0
            return configuration
        }()
        let first = try await Startup.open(configuration)
        #expect(first.generatedMasterKey)
        _ = try await first.store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        let written = try await buildApplication(configuration: configuration, store: first.store).test(.live) { client in
            try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).data
        }
        try first.store.close()

        let second = try await Startup.open(configuration)
        #expect(second.generatedMasterKey == false)
        #expect(second.generatedAdminToken == nil)
        let group = try #require(try await second.store.group(id: "example-secret", in: ProjectScope(team: "default", project: "demo")))
        #expect(group.createdAt.rfc3339 == written["createdAt"] as? String)
        #expect(group.definition.secrets.variables == ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"])
        #expect(
            String(decoding: group.definition.secrets.files["/dir/fileName"]?.data ?? Data(), as: UTF8.self)
                == "This is an example with a templated ${NODE_ENV} variable"
        )
    }
}
