import CofferCrypto
import CofferPostgresTestSupport
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// `coffer keys rotate` and `rotate-data-keys` as separate processes next to a running `coffer serve`: requests keep
/// answering during and after, and a restart with only the new key reads everything.
@Suite(.serialized) struct KeyRotationProcessTests {
    let dataDirectory = NSTemporaryDirectory() + "coffer-rotation-tests-" + UUID().uuidString
    let token = "coffer_rotation-admin-token-0123456789abcdef"

    static func body(_ counter: Int) -> String {
        #"{"name": "Live", "secretType": "environment", "priority": 10, "secrets": {"variables": {"COUNTER": "\#(counter)"}}}"#
    }

    func keys(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        try await ClientProcess.run(
            ["keys"] + arguments + ["--data-dir", dataDirectory],
            url: "http://unused",
            environment: ["COFFER_MASTER_KEY": ""]
        )
    }

    /// PUTs a counter and reads it back, over and over, until `stop`: the requests a server answers during a rotation.
    static func traffic(
        port: Int,
        token: String,
        until stop: Shared<Bool>,
        lastWritten: Shared<Int>,
        statuses: Shared<[HTTPResponse.Status]>
    ) async throws {
        var counter = 0
        while !stop.value {
            counter += 1
            let put = try await ServerProcess.request(.put, "/v1/projects/demo/secrets", port: port, token: token, body: body(counter))
            if put.status == .ok { lastWritten.value = counter }
            let get = try await ServerProcess.request(.get, "/v1/projects/demo/secrets/live", port: port, token: token)
            statuses.update { $0 += [put.status, get.status] }
        }
    }

    /// Polls `condition` (a slow, loaded machine answers slowly, so no fixed sleep) for at most 30 seconds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw ProcessError(message: "timed out waiting for requests") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func rotatingBesideARunningServerKeepsItAnsweringAndARestartNeedsOnlyTheNewKey() async throws {
        let server = try ServerProcess(arguments: ["--data-dir", dataDirectory], environment: ["COFFER_ADMIN_TOKEN": token])
        let port = try await server.port()
        #expect(try await ServerProcess.request(.post, "/v1/projects", port: port, token: token, body: #"{"name": "Demo"}"#).status == .ok)
        let oldKey = try String(contentsOfFile: dataDirectory + "/master.key", encoding: .utf8)
        let newKeyFile = dataDirectory + "-new.key"
        let newKey = MasterKey.generate()
        try (newKey.base64 + "\n").write(toFile: newKeyFile, atomically: true, encoding: .utf8)

        let stop = Shared(false)
        let lastWritten = Shared(0)
        let statuses = Shared<[HTTPResponse.Status]>([])
        async let traffic: Void = Self.traffic(port: port, token: token, until: stop, lastWritten: lastWritten, statuses: statuses)
        try await Self.waitUntil { statuses.value.count >= 2 }
        let rotate = try await keys(["rotate", "--new-master-key-file", newKeyFile, "--batch-size", "1"])
        #expect(rotate.status == 0, "\(rotate.err)")
        #expect(rotate.out.contains("Re-wrapped 1 data keys"))
        #expect(rotate.out.contains("-> \(newKey.id)"))
        #expect(!rotate.out.contains(newKey.base64) && !rotate.out.contains(oldKey.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try String(contentsOfFile: dataDirectory + "/master.key", encoding: .utf8) == newKey.base64 + "\n")
        let rotateData = try await keys(["rotate-data-keys"])
        #expect(rotateData.status == 0, "\(rotateData.err)")
        #expect(rotateData.out.contains("default/demo: data key generation 2"))
        let answeredDuring = statuses.value.count
        try await Self.waitUntil { statuses.value.count >= answeredDuring + 4 }
        stop.value = true
        try await traffic
        #expect(statuses.value.allSatisfy { $0 == .ok }, "\(statuses.value.filter { $0 != .ok })")
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)

        let restarted = try ServerProcess(arguments: ["--data-dir", dataDirectory, "--master-key-file", newKeyFile])
        let newPort = try await restarted.port()
        let read = try await ServerProcess.request(.get, "/v1/projects/demo/secrets/live", port: newPort, token: token)
        #expect(read.status == .ok)
        #expect(String(buffer: read.body ?? ByteBuffer()).contains(#""COUNTER":"\#(lastWritten.value)""#))
        restarted.signal(SIGTERM)
        _ = try await restarted.exitStatus()

        let refused = try await keys(["rotate", "--master-key-file", dataDirectory + "/missing.key"])
        #expect(refused.status == 1)
        #expect(refused.err.hasPrefix("coffer: error: Cannot"))
    }

    @Test(.enabled(if: PostgresTestDatabase.url != nil, "needs POSTGRES_URL"))
    func rotatingAPostgreSQLStoreBesideAServingReplica() async throws {
        let url = MigrateCommandTests.text(of: try await PostgresTestDatabase.makeDatabaseURL())
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        // The key file the replica reads (and re-reads when it meets a key it lacks), shared with the rotation.
        let keyFile = dataDirectory + "/replica.key"
        let oldKey = MasterKey.generate()
        try (oldKey.base64 + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        let newKeyFile = dataDirectory + "-new.key"
        let newKey = MasterKey.generate()
        try (newKey.base64 + "\n").write(toFile: newKeyFile, atomically: true, encoding: .utf8)
        let replica = try ServerProcess(
            arguments: ["--database-url", url, "--master-key-file", keyFile],
            environment: ["COFFER_ADMIN_TOKEN": token, "COFFER_MASTER_KEY": ""]
        )
        let port = try await replica.port()
        #expect(try await ServerProcess.request(.post, "/v1/projects", port: port, token: token, body: #"{"name": "Demo"}"#).status == .ok)

        let stop = Shared(false)
        let lastWritten = Shared(0)
        let statuses = Shared<[HTTPResponse.Status]>([])
        async let traffic: Void = Self.traffic(port: port, token: token, until: stop, lastWritten: lastWritten, statuses: statuses)
        try await Self.waitUntil { statuses.value.count >= 2 }
        let database = ["--database-url", url, "--master-key-file", keyFile]
        let rotate = try await ClientProcess.run(
            ["keys", "rotate", "--new-master-key-file", newKeyFile] + database,
            url: "http://unused",
            environment: ["COFFER_MASTER_KEY": ""]
        )
        #expect(rotate.status == 0, "\(rotate.err)")
        #expect(rotate.out.contains("Re-wrapped 1 data keys: master key \(oldKey.id) -> \(newKey.id)"), "\(rotate.out)")
        #expect(!rotate.out.contains(newKey.base64) && !rotate.err.contains(newKey.base64))
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == newKey.base64 + "\n")
        let rotateData = try await ClientProcess.run(["keys", "rotate-data-keys"] + database, url: "http://unused", environment: ["COFFER_MASTER_KEY": ""])
        #expect(rotateData.status == 0, "\(rotateData.err)")
        #expect(rotateData.out.contains("default/demo: data key generation 2"), "\(rotateData.out)")
        let answeredDuring = statuses.value.count
        try await Self.waitUntil { statuses.value.count >= answeredDuring + 4 }
        stop.value = true
        try await traffic
        #expect(statuses.value.allSatisfy { $0 == .ok }, "\(statuses.value.filter { $0 != .ok })")
        replica.signal(SIGTERM)
        #expect(try await replica.exitStatus() == 0)

        // A replica given only the new key reads the last acknowledged write; one given only the old key is refused.
        let restarted = try ServerProcess(arguments: ["--database-url", url, "--master-key-file", newKeyFile], environment: ["COFFER_MASTER_KEY": ""])
        let newPort = try await restarted.port()
        let read = try await ServerProcess.request(.get, "/v1/projects/demo/secrets/live", port: newPort, token: token)
        #expect(read.status == .ok)
        #expect(String(buffer: read.body ?? ByteBuffer()).contains(#""COUNTER":"\#(lastWritten.value)""#))
        restarted.signal(SIGTERM)
        _ = try await restarted.exitStatus()
        let stale = try await ClientProcess.run(
            ["token", "list", "--database-url", url],
            url: "http://unused",
            environment: ["COFFER_MASTER_KEY": oldKey.base64]
        )
        #expect(stale.status == 1 && stale.err.contains("does not match"), "\(stale.err)")
    }
}
