import CofferCore
import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A workload's effective environment as a conditional read over a real socket: an ETag that changes exactly when
/// the answer does, 304 for an unchanged one, and a wait that only a change to this answer ends.
@Suite struct ConditionalEnvironmentTests {
    static let environment = "/v1/projects/demo/services/api/runtime-environment"

    static func group(_ name: String, for service: String, value: String) -> String {
        #"{"name": "\#(name)", "secretType": "environment", "priority": 1, "restrictions": {"restricted": true, "nfObjects": [{"id": "\#(service)", "type": "service"}]}, "secrets": {"variables": {"VALUE": "\#(value)"}}}"#
    }

    /// A write on a connection of its own (the test client's one connection may be held by a waiting read).
    static func write(port: Int, _ method: HTTPRequest.Method, _ path: String, _ body: String) async throws -> HTTPResponse.Status {
        let client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        var headers = HTTPFields.admin
        headers[.contentLength] = String(body.utf8.count)
        let response = try await client.execute(.init(path, method: method, headers: headers, body: ByteBuffer(string: body)))
        try await client.shutdown()
        return response.status
    }

    @Test func anUnrelatedChangeDoesNotEndTheWaitAndARelatedOneDoes() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            for name in ["api", "web"] {
                #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "\#(name)"}"#).status == .ok)
            }
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: Self.group("Api Config", for: "api", value: "one")).status == .ok)
            let first = try await client.send(.get, Self.environment)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.count == 34)
            #expect(try await client.send(.get, Self.environment).headers[.eTag] == tag, "the same content, the same tag")

            var conditional = HTTPFields.admin
            conditional[.ifNoneMatch] = tag
            let unchanged = try await client.send(.get, Self.environment, headers: conditional)
            #expect(unchanged.status == .notModified && unchanged.headers[.eTag] == tag && unchanged.body.readableBytes == 0)

            // A change to a group for another service: the project changes, this answer does not.
            let clock = ContinuousClock()
            let started = clock.now
            let waitHeaders = conditional
            async let waited = client.send(.get, Self.environment + "?wait=20", headers: waitHeaders)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await Self.write(port: port, .put, "/v1/projects/demo/secrets", Self.group("Web Config", for: "web", value: "w")) == .ok)
            try await Task.sleep(for: .milliseconds(600))
            let relatedAt = clock.now
            #expect(try await Self.write(port: port, .put, "/v1/projects/demo/secrets", Self.group("Api Config", for: "api", value: "two")) == .ok)
            let changed = try await waited
            #expect(clock.now - started >= .milliseconds(800), "the unrelated change did not end the wait")
            // Well inside the 20 s wait, with room for a loaded machine: the write, not the timeout, ended it.
            #expect(clock.now - relatedAt < .seconds(15), "the related change did")
            #expect(changed.status == .ok && changed.headers[.eTag] != tag)
            #expect((try changed.data["runtimeEnvironment"] as? [String: String])?["VALUE"] == "two")

            // With nothing changing, the wait ends in a 304.
            conditional[.ifNoneMatch] = changed.headers[.eTag]
            let quietStart = clock.now
            #expect(try await client.send(.get, Self.environment + "?wait=1", headers: conditional).status == .notModified)
            #expect(clock.now - quietStart >= .milliseconds(900))
            #expect(try await client.send(.get, Self.environment + "?wait=61", headers: conditional).status == .badRequest)
        }
    }

    @Test func aWorkloadTokenWaitsOnItsOwnWorkloadOnly() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            for name in ["api", "web"] {
                #expect(try await client.send(.post, "/v1/projects/demo/services", json: #"{"name": "\#(name)"}"#).status == .ok)
            }
            let issued = try await TokenIssuer(store: fixture.store).issue(
                TokenDefinition(name: "api runtime", role: .workload, workload: WorkloadReference(projectId: "demo", kind: .service, id: "api")),
                team: Team.defaultTeamID, at: .now()
            )
            var headers: HTTPFields = [.authorization: "Bearer \(issued.secret)"]
            let own = try await client.send(.get, Self.environment, headers: headers)
            #expect(own.status == .ok)
            headers[.ifNoneMatch] = own.headers[.eTag]
            #expect(try await client.send(.get, Self.environment + "?wait=1", headers: headers).status == .notModified)
            #expect(try await client.send(.get, "/v1/projects/demo/services/web/runtime-environment?wait=1", headers: headers).status == .forbidden)
        }
    }
}
