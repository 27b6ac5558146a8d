import CofferCore
import CofferCrypto
import CofferPostgresTestSupport
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A `coffer serve --database-url` replica SIGKILLed while clients write through it: every write it acknowledged is
/// in the database afterwards, and every group is readable and whole (each write is one transaction).
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct ReplicaKillTests {
    static let token = "coffer_preset-admin-token-0123456789abcdef"
    static let keys = ["K1", "K2", "K3", "K4", "K5"]

    @Test func aReplicaKilledMidWriteLosesNoAcknowledgedWriteAndLeavesNoPartialGroup() async throws {
        let database = try await PostgresTestDatabase.makeDatabase()
        let environment = ["COFFER_MASTER_KEY": MasterKey.generate().base64, "COFFER_ADMIN_TOKEN": Self.token]
        let victim = try ServerProcess(arguments: ["--database-url", database], environment: environment)
        let port = try await victim.port()
        #expect(try await request(.post, "/v1/projects", port: port, body: #"{"name": "Demo"}"#).status == .ok)

        // Four writers: each creates groups one after another and rewrites a group of its own, every value of a group
        // the same number. What each was told succeeded is recorded.
        let created = Shared<[String: Int]>([:])
        let rewritten = Shared<[String: Int]>([:])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for round in 0..<1_000 {
                        do {
                            let id = "group-\(writer)-\(round)"
                            guard try await request(.put, "/v1/projects/demo/secrets", port: port, body: Self.group(id, round)).status == .ok
                            else { return }
                            created.update { $0[id] = round }
                            guard
                                try await request(.put, "/v1/projects/demo/secrets", port: port, body: Self.group("own-\(writer)", round)).status
                                    == .ok
                            else { return }
                            rewritten.update { $0["own-\(writer)"] = round }
                        } catch {
                            return  // the server is gone
                        }
                    }
                }
            }
            while created.value.count < 40 { try await Task.sleep(for: .milliseconds(10)) }
            victim.signal(SIGKILL)
            try await group.waitForAll()
        }
        _ = try await victim.exitStatus()

        let survivor = try ServerProcess(arguments: ["--database-url", database], environment: environment)
        let survivorPort = try await survivor.port()
        for (id, round) in created.value {
            #expect(try await values(of: id, port: survivorPort) == Self.values(round), "acknowledged \(id) is whole")
        }
        for (id, round) in rewritten.value {
            // The write in flight at the kill may have committed without its answer arriving: never older than acknowledged.
            let values = try await values(of: id, port: survivorPort)
            let stored = try #require(values["K1"].flatMap { Int($0) })
            #expect(stored >= round && values == Self.values(stored), "\(id) holds a whole write no older than the acknowledged one")
        }
        var cursor: String?
        var listed = 0
        repeat {
            let page = try await request(.get, "/v1/projects/demo/secrets?per_page=100" + (cursor.map { "&cursor=\($0)" } ?? ""), port: survivorPort)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: page.body ?? .init())) as? [String: Any])
            let ids = ((object["data"] as? [String: Any])?["secrets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            for id in ids {
                let values = try await values(of: id, port: survivorPort)
                #expect(values.count == Self.keys.count && Set(values.values).count == 1, "\(id) is readable and whole")
            }
            listed += ids.count
            cursor = (object["pagination"] as? [String: Any])?["cursor"] as? String
        } while cursor != nil
        #expect(listed >= created.value.count)
        survivor.signal(SIGTERM)
        #expect(try await survivor.exitStatus() == 0)
    }

    static func group(_ id: String, _ round: Int) -> String {
        let variables = keys.map { "\"\($0)\": \"\(round)\"" }.joined(separator: ", ")
        return #"{"name": "\#(id)", "secretType": "environment", "priority": 1, "secrets": {"variables": {\#(variables)}}}"#
    }

    static func values(_ round: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, String(round)) })
    }

    func values(of id: String, port: Int) async throws -> [String: String] {
        let response = try await request(.get, "/v1/projects/demo/secrets/\(id)?show=this", port: port)
        #expect(response.status == .ok, "\(id) is readable")
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body ?? .init())) as? [String: Any]
        let group = object?["data"] as? [String: Any]
        return (group?["secrets"] as? [String: Any])?["variables"] as? [String: String] ?? [:]
    }

    func request(_ method: HTTPRequest.Method, _ path: String, port: Int, body: String? = nil) async throws -> TestClient.Response {
        try await ServerProcess.request(method, path, port: port, token: Self.token, body: body)
    }
}
