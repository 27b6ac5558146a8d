import CofferCore
import CofferCrypto
import CofferPostgresTestSupport
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Two live replicas on one PostgreSQL database: what one writes, the other serves as soon as the change's
/// notification arrives (its caches hear of it over LISTEN/NOTIFY, within milliseconds), and concurrent If-Match
/// writers through both never lose an update.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct ReplicaTests {
    @Test func aWriteThroughOneReplicaIsServedByTheOtherAtOnce() async throws {
        try await ReplicaPair.onTestDatabase().run { a, b, _ in
            // B learns (and caches) that the project does not exist, then A creates it.
            #expect(try await b.send(.get, "/v1/projects/demo/secrets").status == .notFound)
            #expect(try await a.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#).status == .ok)
            #expect(try await b.read("/v1/projects/demo/secrets") { $0.status == .ok }.status == .ok)

            // B caches the project's snapshot without the group; A writes it; B serves it.
            #expect(try await b.send(.get, "/v1/projects/demo/secrets/example-secret").status == .notFound)
            #expect(try await a.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            let read = try await b.read("/v1/projects/demo/secrets/example-secret?show=this") { $0.status == .ok }
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(try Self.variables(read.data)["NODE_ENV"] == "production")

            // A PATCH through B is seen through A, whose snapshot holds the group since its PUT.
            #expect(try await a.send(.get, "/v1/projects/demo/secrets/example-secret").status == .ok)
            let patched = try await b.send(
                .patch,
                "/v1/projects/demo/secrets/example-secret",
                json: #"{"secrets": {"variables": {"NODE_ENV": "staging"}}}"#
            )
            #expect(patched.status == .ok)
            let seen = try await a.read("/v1/projects/demo/secrets/example-secret?show=this") { $0.headers[.eTag] == "\"2\"" }
            #expect(seen.headers[.eTag] == "\"2\"")
            #expect(try Self.variables(seen.data) == ["NODE_ENV": "staging"])
        }
    }

    /// A long poll on replica B is woken by a commit through replica A (LISTEN/NOTIFY wakes it; it reads the change
    /// from the database), and no change is lost or repeated from one poll to the next.
    @Test func aWatcherOnOneReplicaLearnsOfACommitThroughTheOther() async throws {
        try await ReplicaPair.onTestDatabase().run { a, b, _ in
            #expect(try await a.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#).status == .ok)
            var since = try #require(try await b.read("/v1/projects/demo/changes") { $0.status == .ok }.data["revision"] as? Int)
            let clock = ContinuousClock()
            var latencies: [Duration] = []
            for round in 0..<5 {
                let path = "/v1/projects/demo/changes?since=\(since)&wait=10"
                async let waited = b.send(.get, path)
                try await Task.sleep(for: .milliseconds(150))
                let body = ReferenceBody.json.replacing(#""NODE_ENV": "production""#, #""NODE_ENV": "round-\#(round)""#)
                #expect(try await a.send(.put, "/v1/projects/demo/secrets", json: body).status == .ok)
                let committed = clock.now
                let answer = try await waited
                latencies.append(clock.now - committed)
                let changes = try #require(try answer.data["changes"] as? [[String: Any]])
                #expect(changes.map { $0["revision"] as? Int } == [since + 1], "round \(round): exactly the next change")
                since += 1
            }
            #expect(latencies.max()! < .seconds(5), "woken by the notification, not the 10 s timeout: \(latencies)")
        }
    }

    @Test func aTokenRevokedThroughOneReplicaIsRefusedByTheOtherAtOnce() async throws {
        try await ReplicaPair.onTestDatabase().run { a, b, _ in
            #expect(try await a.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#).status == .ok)
            let created = try await a.send(.post, "/v1/tokens", json: #"{"name": "ci deploy", "role": "developer"}"#)
            let secret = try #require(try created.data["secret"] as? String)
            let id = try #require((try created.data["token"] as? [String: Any])?["id"] as? String)
            let bearer: HTTPFields = [.authorization: "Bearer \(secret)"]
            // B trusts the token and caches it for the pair's token-cache lifetime (a minute): only the notification can
            // make it forget the token within the read's two seconds.
            #expect(try await b.send(.get, "/v1/projects/demo/secrets", headers: bearer).status == .ok)
            #expect(try await a.send(.delete, "/v1/tokens/\(id)").status == .ok)
            #expect(try await b.read("/v1/projects/demo/secrets", headers: bearer) { $0.status == .unauthorized }.status == .unauthorized)
        }
    }

    @Test func concurrentIfMatchIncrementsThroughBothReplicasEndExact() async throws {
        let tasksPerReplica = 16
        let incrementsPerTask = 4
        try await ReplicaPair.onTestDatabase().run { a, b, stores in
            #expect(try await a.send(.post, "/v1/projects", json: #"{"name": "Demo"}"#).status == .ok)
            let created = try await a.send(
                .put,
                "/v1/projects/demo/secrets",
                json: #"{"name": "Counter", "secretType": "environment", "priority": 1, "secrets": {"variables": {"COUNT": "0"}}}"#
            )
            #expect(created.status == .ok)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for replica in [a, b] {
                    for _ in 0..<tasksPerReplica {
                        let client = try replica.separateConnection()
                        group.addTask {
                            do {
                                for _ in 0..<incrementsPerTask { try await Self.increment(through: client) }
                            } catch {
                                try? await client.shutdown()
                                throw error
                            }
                            try await client.shutdown()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = 2 * tasksPerReplica * incrementsPerTask
            for replica in [a, b] {
                let final = try await replica.send(.get, "/v1/projects/demo/secrets/counter?show=this")
                #expect(try Self.variables(final.data)["COUNT"] == String(expected))
                #expect(final.headers[.eTag] == "\"\(expected + 1)\"")
            }

            var entries: [AuditEntry] = []
            while true {
                let page = try await stores[1].auditEntries(AuditQuery(after: entries.last?.sequence, limit: 500))
                if page.isEmpty { break }
                entries += page
            }
            var verifier = AuditChain.Verifier()
            try verifier.check(entries)
            #expect(verifier.count == Int64(entries.count))
            let updates = entries.filter { $0.resourceId == "counter" && $0.action == .update }
            #expect(updates.count == expected)
        }
    }

    /// One increment by GET then PATCH with If-Match, started over whenever another writer got there first (412).
    static func increment(through client: TestClient) async throws {
        for _ in 0..<10_000 {
            let current = try await client.send(.get, "/v1/projects/demo/secrets/counter?show=this")
            guard current.status == .ok, let etag = current.headers[.eTag] else { throw CounterError(status: current.status) }
            let value = try #require(Int(try variables(current.data)["COUNT"] ?? ""))
            let patched = try await client.send(
                .patch,
                "/v1/projects/demo/secrets/counter",
                json: #"{"secrets": {"variables": {"COUNT": "\#(value + 1)"}}}"#,
                headers: [.ifMatch: etag]
            )
            if patched.status == .ok { return }
            guard patched.status == .preconditionFailed else { throw CounterError(status: patched.status) }
        }
        throw CounterError(status: .preconditionFailed)
    }

    static func variables(_ group: [String: Any]) throws -> [String: String] {
        try #require((group["secrets"] as? [String: Any])?["variables"] as? [String: String])
    }
}

/// An increment got an answer other than success or a lost race.
struct CounterError: Error {
    let status: HTTPResponse.Status
}
