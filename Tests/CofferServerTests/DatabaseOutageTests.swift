import CofferCore
import CofferPostgresTestSupport
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// PostgreSQL stopped and started again under two live replicas (on a cluster of this test's own, so that stopping it
/// disturbs no other test): while it is down every request answers 503 with the error envelope within seconds, and
/// once it is back both replicas serve again by themselves, without a restart.
@Suite(.enabled(if: ThrowawayPostgres.binaries != nil, Comment(rawValue: ThrowawayPostgres.skipNote)))
struct DatabaseOutageTests {
    @Test func requestsAnswer503WhileTheDatabaseIsDownAndReplicasRecoverByThemselves() async throws {
        let cluster = try await ThrowawayPostgres.start()
        do {
            var configuration = cluster.url.clientConfiguration()
            configuration.options.maximumConnections = 8
            try await ReplicaPair(configuration: configuration).run(leaseTimeout: .seconds(2)) { a, b, _ in
                try await Self.exercise(cluster, a, b)
            }
        } catch {
            await cluster.destroy()
            throw error
        }
        await cluster.destroy()
    }

    static func exercise(_ cluster: ThrowawayPostgres, _ a: any TestClientProtocol, _ b: any TestClientProtocol) async throws {
        // Before the outage. With a 2 s lease, a saturated CI machine can make an early call wait past it and answer
        // 503 (seen on a GET and on the first POST, while 100 suites ran beside this one), having had no connection and
        // so having written nothing: the setup asks again after a 503, and any other answer but 200 fails it.
        #expect(try await pastUnavailable { try await a.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#) }.status == .ok)
        #expect(try await pastUnavailable { try await a.send(.put, "/v1/projects/demo/secrets", json: body(value: "before")) }.status == .ok)
        _ = try await eventually { try await b.send(.get, "/v1/projects/demo/secrets/example?show=this") } until: { $0.status == .ok }
        _ = try await eventually { try await a.send(.get, "/v1/ready", headers: [:]) } until: { $0.status == .ok }

        // A light load through both replicas for the whole outage: every answer is a success or a 503.
        let statuses = Shared<[HTTPResponse.Status]>([])
        let running = Shared(true)
        let (loadA, loadB) = (try a.separateConnection(), try b.separateConnection())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while running.value {
                    let read = try await loadB.send(.get, "/v1/projects/demo/secrets/example?show=this").status
                    let write = try await loadA.send(.patch, "/v1/projects/demo/secrets/example", json: #"{"priority": 2}"#).status
                    statuses.update { $0 += [read, write] }
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await loadA.shutdown()
                try await loadB.shutdown()
            }

            try await cluster.stopServer()
            for client in [a, b] {
                let started = ContinuousClock.now
                let answer = try await eventually {
                    try await client.send(.put, "/v1/projects/demo/secrets", json: body(value: "down"))
                } until: {
                    $0.status == .serviceUnavailable
                }
                #expect(ContinuousClock.now - started < .seconds(8), "a request while the database is down does not hang")
                let error = try answer.error
                #expect(error["status"] as? Int == 503)
                #expect(error["message"] as? String == "The database is unavailable; retry shortly")
                #expect(!answer.text.contains("127.0.0.1") && !answer.text.contains(String(cluster.port)), "no driver detail leaks")
            }
            // Not ready while the store does not answer (liveness stays: the process is fine).
            let notReady = try await eventually { try await a.send(.get, "/v1/ready", headers: [:]) } until: { $0.status == .serviceUnavailable }
            #expect(try notReady.error["status"] as? Int == 503)
            #expect(try await a.send(.get, "/v1/health", headers: [:]).status == .ok)
            // Reads too, once the replica has dropped its caches (its change listener lost its connection).
            _ = try await eventually {
                try await b.send(.get, "/v1/projects/demo/secrets/example?show=this")
            } until: {
                $0.status == .serviceUnavailable
            }

            try await cluster.startServer()
            let restarted = ContinuousClock.now
            for client in [a, b] {
                _ = try await eventually {
                    try await client.send(.get, "/v1/projects/demo/secrets/example?show=this")
                } until: {
                    $0.status == .ok
                }
            }
            #expect(ContinuousClock.now - restarted < .seconds(10), "both replicas serve again within seconds")
            #expect(try await a.send(.get, "/v1/ready", headers: [:]).status == .ok)
            running.value = false
            try await group.waitForAll()
        }
        #expect(statuses.value.allSatisfy { [.ok, .serviceUnavailable].contains($0) })

        // The replicas hear each other again: a write through A reaches B (once B's listener is back).
        #expect(try await a.send(.put, "/v1/projects/demo/secrets", json: body(value: "after")).status == .ok)
        _ = try await eventually {
            try await b.send(.get, "/v1/projects/demo/secrets/example?show=this")
        } until: { response in
            ((try? response.data["secrets"] as? [String: Any])?["variables"] as? [String: String])?["PHASE"] == "after"
        }

        // The change feed across the outage, read on B from the start: every accepted change once, in order, without
        // a gap (the project's creation, the first PUT, the load's PATCH if one got through, the PUT after).
        let feed = try await b.send(.get, "/v1/projects/demo/changes?since=0")
        let changes = try #require(try feed.data["changes"] as? [[String: Any]])
        let revisions = changes.compactMap { $0["revision"] as? Int }
        #expect(revisions == Array(1...max(1, revisions.count)) && revisions.count >= 3, "\(revisions)")
        #expect(changes.prefix(2).map { $0["action"] as? String } == ["create", "create"])
        #expect(try feed.data["revision"] as? Int == revisions.count)
        // And a watcher on B is woken by a write through A again.
        let latest = revisions.count
        let path = "/v1/projects/demo/changes?since=\(latest)&wait=30"
        let started = ContinuousClock.now
        async let waited = b.send(.get, path)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await a.send(.put, "/v1/projects/demo/secrets", json: body(value: "watched")).status == .ok)
        #expect((try await waited.data["changes"] as? [[String: Any]])?.map { $0["revision"] as? Int } == [latest + 1])
        #expect(ContinuousClock.now - started < .seconds(15), "woken, not timed out (the wait is 30 s; the rest is room for a loaded machine)")
    }

    static func body(value: String) -> String {
        #"{"name": "Example", "secretType": "environment", "priority": 1, "secrets": {"variables": {"PHASE": "\#(value)"}}}"#
    }

    /// Repeats `request` until `condition` holds of its answer, for at most `timeout`.
    /// The first answer of `request` that is not a 503 (asked again after each 503, within `eventually`'s time).
    static func pastUnavailable(_ request: () async throws -> TestResponse) async throws -> TestResponse {
        try await eventually(request) { $0.status != .serviceUnavailable }
    }

    static func eventually(
        timeout: Duration = .seconds(15),
        _ request: () async throws -> TestResponse,
        until condition: (TestResponse) -> Bool
    ) async throws -> TestResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try await request()
            if condition(response) { return response }
            guard ContinuousClock.now < deadline else {
                Issue.record("no answer met the condition in time; the last was \(response.status): \(response.text)")
                return response
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
