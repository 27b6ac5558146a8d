import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `coffer serve --stream-stall-timeout`: an event stream whose client stops reading is closed, not buffered for. Run
/// against a `coffer serve` process: the ~10 MB of events it takes to fill the kernel's loopback buffers would
/// otherwise load the test process's own threads.
@Suite struct StreamStallProcessTests {
    static let token = "coffer_stream-stall-token-0123456789abcdefghij"

    @Test func aStreamWhoseClientStopsReadingIsClosedAndItsSlotFreed() async throws {
        let dataDirectory = NSTemporaryDirectory() + "coffer-stream-stall-" + UUID().uuidString
        let server = try ServerProcess(
            arguments: ["--data-dir", dataDirectory, "--stream-stall-timeout", "1s", "--max-watchers", "1"],
            environment: ["COFFER_ADMIN_TOKEN": Self.token]
        )
        let port = try await server.port()
        func request(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestClient.Response {
            try await ServerProcess.request(method, path, port: port, token: Self.token, body: body)
        }
        let feed = "/v1/projects/demo/changes"
        #expect(try await request(.post, "/v1/projects", #"{"name": "Demo"}"#).status == .ok)
        var stalled = try EventStreamConnection(port: port, path: feed + "?since=0", token: Self.token, lastEventID: nil, receiveBuffer: 4096)
        _ = try await stalled.read(until: { $0.contains(": watching") })
        #expect(try await request(.get, feed + "?since=0&wait=1").status == .serviceUnavailable, "the stream holds the one slot")

        // Each change names its 1,000 keys (~100 KB an event), 10 MB in all: more than the kernel's socket buffers hold
        // on loopback. The client reads none of it.
        let names = (0..<1000).map { "KEY_\($0)_" + String(repeating: "x", count: 90) }
        for round in 0..<100 {
            let variables = names.map { "\"\($0)\": \"\(round)\"" }.joined(separator: ", ")
            let body = #"{"name": "Wide", "secretType": "environment", "priority": 1, "secrets": {"variables": {\#(variables)}}}"#
            #expect(try await request(.put, "/v1/projects/demo/secrets", body).status == .ok)
        }
        // The server gives up on the stalled stream: its slot frees, and its connection ends once read.
        var freed = false
        for _ in 0..<50 where !freed {
            freed = try await request(.get, feed + "?since=1000&wait=1").status == .ok
            if !freed { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(freed, "the watcher slot was released")
        #expect(try await stalled.readToEnd(), "the server closed the connection")
        stalled.close()
        server.signal(SIGTERM)
        _ = try await server.exitStatus()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
