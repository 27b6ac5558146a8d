import CofferCore
import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `GET /v1/projects/{p}/changes` over a real socket: the starting point, reading after a revision, paging, the long
/// poll woken by a write, Server-Sent Events with resume, 410 past the retained feed, and bad input.
@Suite struct ChangeFeedRoutesTests {
    static let feed = "/v1/projects/demo/changes"

    static func changes(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try response.data["changes"] as? [[String: Any]])
    }

    static func put(_ client: some TestClientProtocol, _ name: String, value: String = "v") async throws {
        let body = ReferenceBody.json.replacing("Example Secret", name).replacing(#""NODE_ENV": "production""#, #""NODE_ENV": "\#(value)""#)
        #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: body).status == .ok)
    }

    @Test func readsAfterARevisionPagesAndWaitsForTheNextChange() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            // The project's creation is revision 1.
            let start = try await client.send(.get, Self.feed)
            #expect(try start.status == .ok && start.data["revision"] as? Int == 1 && Self.changes(start).isEmpty)
            try await Self.put(client, "Alpha")
            try await Self.put(client, "Beta")
            try await Self.put(client, "Alpha", value: "secret-value-xyz")

            let all = try await client.send(.get, "\(Self.feed)?since=1")
            let changes = try Self.changes(all)
            #expect(try all.data["revision"] as? Int == 4)
            #expect(changes.map { $0["revision"] as? Int } == [2, 3, 4])
            #expect(changes.map { $0["resourceId"] as? String } == ["alpha", "beta", "alpha"])
            #expect(changes.map { $0["action"] as? String } == ["create", "create", "update"])
            #expect(changes[2]["version"] as? Int == 2 && changes[2]["changedKeys"] as? [String] == ["NODE_ENV"])
            #expect(!all.text.contains("secret-value-xyz") && !all.text.contains("production"), "no values, ever")

            let firstPage = try await client.send(.get, "\(Self.feed)?since=1&per_page=2")
            let pagination = try #require(try firstPage.json["pagination"] as? [String: Any])
            #expect(pagination["hasNextPage"] as? Bool == true && pagination["cursor"] as? String == "3")
            #expect(try Self.changes(try await client.send(.get, "\(Self.feed)?since=3&per_page=2")).map { $0["revision"] as? Int } == [4])

            // Nothing after the latest: the long poll waits, and a write wakes it.
            let clock = ContinuousClock()
            let started = clock.now
            async let waited = client.send(.get, "\(Self.feed)?since=4&wait=20")
            try await Task.sleep(for: .milliseconds(200))
            // The test client has one connection, which the long poll holds: the write goes on a second.
            let writer = TestClient(host: "127.0.0.1", port: try #require(client.port))
            writer.connect()
            let body = ReferenceBody.json.replacing("Example Secret", "Gamma")
            var headers = HTTPFields.admin
            headers[.contentLength] = String(body.utf8.count)
            let put = try await writer.execute(.init("/v1/projects/demo/secrets", method: .put, headers: headers, body: ByteBuffer(string: body)))
            #expect(put.status == .ok)
            try await writer.shutdown()
            let woken = try await waited
            #expect(try Self.changes(woken).map { $0["resourceId"] as? String } == ["gamma"])
            // Well inside the 20 s wait, with room for a loaded machine.
            #expect(clock.now - started < .seconds(15), "woken by the write, not by the timeout")
            // With no change, it answers empty once the wait is over.
            let quietStart = clock.now
            let quiet = try await client.send(.get, "\(Self.feed)?since=5&wait=1")
            #expect(try Self.changes(quiet).isEmpty && quiet.data["revision"] as? Int == 5)
            #expect(clock.now - quietStart >= .milliseconds(900))
        }
    }

    @Test func badInputIsRefusedAndAnOldSinceIsGone() async throws {
        var fixture = try await ServerFixture.memory()
        fixture.configuration.keepChanges = .milliseconds(1)
        try await fixture.application().test(.router) { client in
            for (query, field) in [
                ("since=-1", "since"), ("since=x", "since"), ("wait=61", "wait"), ("wait=-1", "wait"), ("since=0&wait=abc", "wait"),
                ("per_page=0", "per_page"),
            ] {
                let response = try await client.send(.get, "\(Self.feed)?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect((try response.error["details"] as? [String: Any])?[field] != nil, "\(query) names \(field)")
            }
            try await Task.sleep(for: .milliseconds(5))
            let gone = try await client.send(.get, "\(Self.feed)?since=0")
            #expect(try gone.status == .gone && gone.error["status"] as? Int == 410)
            #expect((try gone.error["message"] as? String)?.contains("watch from revision 1") == true)
            // Nothing missed after the latest: not gone.
            #expect(try await client.send(.get, "\(Self.feed)?since=1").status == .ok)
            #expect(try await client.send(.get, "/v1/projects/nowhere/changes").status == .notFound)
        }
    }

    @Test func watchersAreCappedAndAStreamEndsWhenTheServerStops() async throws {
        var fixture = try await ServerFixture.sqlite()
        fixture.configuration.maximumWatchers = 1
        let application = fixture.application()
        let opened = Shared<EventStreamConnection?>(nil)
        try await application.test(.live) { client in
            var stream = try EventStreamConnection(
                port: try #require(client.port), path: Self.feed, token: ServerFixture.adminToken, lastEventID: nil
            )
            _ = try await stream.read(until: { $0.contains(": watching") })
            opened.value = stream
            // The stream holds the one watcher slot: a long poll is refused, a plain read is not.
            let refused = try await client.send(.get, "\(Self.feed)?since=1&wait=5")
            #expect(try refused.status == .serviceUnavailable && refused.error["status"] as? Int == 503)
            #expect(try await client.send(.get, "\(Self.feed)?since=1").status == .ok)
        }
        // The test ended the server gracefully (which waits for open requests): the stream was ended, not left open.
        var stream = try #require(opened.value)
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await stream.read(until: { _ in false })
        #expect(clock.now - started < .seconds(5), "the connection was closed, not left to time out")
        stream.close()
    }

    @Test func serverSentEventsStreamChangesAndResumeAfterTheLastEventID() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            try await Self.put(client, "Alpha")
            var stream = try EventStreamConnection(port: port, path: Self.feed, token: ServerFixture.adminToken, lastEventID: "1")
            try await Self.put(client, "Beta")
            let events = try await stream.read(until: { $0.contains("id: 3\n") })
            #expect(events.contains("id: 2\nevent: change\ndata: {"))
            #expect(events.contains(#""resourceId":"alpha""#) && events.contains(#""resourceId":"beta""#))
            stream.close()

            // Resuming after 2 sends 3 and what follows, nothing before.
            var resumed = try EventStreamConnection(port: port, path: Self.feed, token: ServerFixture.adminToken, lastEventID: "2")
            try await Self.put(client, "Gamma")
            let more = try await resumed.read(until: { $0.contains("id: 4\n") })
            #expect(!more.contains("id: 2\n") && more.contains("id: 3\n") && more.contains(#""resourceId":"gamma""#))
            resumed.close()
        }
    }
}
