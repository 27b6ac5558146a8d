import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import Testing

/// `coffer serve --metrics`: Prometheus text through swift-metrics, by route template and status, with the store's
/// commits, the snapshot cache and the change feed's watchers; a bounded set of series whatever the data, and never a
/// value, key name, token or project id in it.
@Suite struct MetricsProcessTests {
    static let token = "coffer_metrics-test-token-0123456789abcdefghij"

    static func withServer(_ extra: [String], _ body: (_ request: (HTTPRequest.Method, String, String?, Bool) async throws -> TestClient.Response) async throws -> Void)
        async throws
    {
        let dataDirectory = NSTemporaryDirectory() + "coffer-metrics-" + UUID().uuidString
        let server = try ServerProcess(arguments: ["--data-dir", dataDirectory] + extra, environment: ["COFFER_ADMIN_TOKEN": Self.token])
        // One kept-alive connection for every request: the test makes ten thousand, and a connection each made it
        // slow enough to starve the suites running beside it.
        let client = TestClient(host: "127.0.0.1", port: try await server.port())
        client.connect()
        do {
            try await body { method, path, json, authenticated in
                try await ServerProcess.request(method, path, on: client, token: authenticated ? Self.token : "", body: json)
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        server.signal(SIGTERM)
        _ = try await server.exitStatus()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// The sample lines of an exposition (not the `#` comments).
    static func series(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    @Test func metricsNameRoutesByTemplateAndStayBoundedWhateverTheData() async throws {
        try await Self.withServer(["--metrics"]) { request in
            #expect(try await request(.get, "/metrics", nil, false).status == .unauthorized, "a token is needed without --metrics-public")
            #expect(try await request(.post, "/v1/projects", #"{"name": "Metrics Demo"}"#, true).status == .ok)
            // 10,000 groups, in change sets of 1,000 (the most one may hold).
            for batch in 0..<10 {
                let operations = (batch * 1000..<(batch + 1) * 1000).map { index in
                    #"{"op": "put", "body": {"name": "Group \#(index)", "secretType": "environment", "priority": 1, "#
                        + #""secrets": {"variables": {"SECRET_KEY_\#(index)": "value-\#(index)-do-not-leak"}}}}"#
                }
                let set = try await request(
                    .post, "/v1/projects/metrics-demo/change-sets", #"{"operations": [\#(operations.joined(separator: ","))]}"#, true
                )
                #expect(set.status == .ok)
            }
            #expect(try await request(.get, "/v1/projects/metrics-demo/changes?since=0&wait=0", nil, true).status == .ok)
            for index in 0..<10 { _ = try await request(.get, "/v1/projects/metrics-demo/secrets/group-\(index)", nil, true) }
            _ = try await request(.get, "/v1/projects/metrics-demo/secrets/group-0/versions", nil, true)
            _ = try await request(.get, "/v1/projects/metrics-demo/secrets/no-such-group", nil, true)
            _ = try await request(.get, "/no/such/route", nil, true)
            // One scrape first, so the scrape's own route has its series by the time of the one compared.
            _ = try await request(.get, "/metrics", nil, true)
            let first = try await request(.get, "/metrics", nil, true)
            #expect(first.status == .ok)
            #expect(first.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: first.body ?? ByteBuffer())
            let before = Self.series(text).count

            // Reading the other 9,990 groups by id, and their history, adds no series: labels hold the route's template,
            // not its path.
            for index in 10..<10_000 { _ = try await request(.get, "/v1/projects/metrics-demo/secrets/group-\(index)", nil, true) }
            for index in stride(from: 1, to: 10_000, by: 97) {
                _ = try await request(.get, "/v1/projects/metrics-demo/secrets/group-\(index)/versions", nil, true)
            }
            let after = String(buffer: try await request(.get, "/metrics", nil, true).body ?? ByteBuffer())
            #expect(Self.series(after).count == before, "series: \(before) then \(Self.series(after).count)")

            #expect(after.contains(#"http_route="/v1/projects/{projectId}/secrets/{secretId}""#), "requests by route template")
            #expect(after.contains(#"http_response_status_code="404""#), "and by status")
            for family in ["coffer_store_commit_duration_seconds_bucket", "coffer_store_batch_writes", "coffer_change_watchers",
                           #"coffer_snapshot_cache_reads_total{result="hit"}"#, #"coffer_snapshot_cache_reads_total{result="miss"}"#] {
                #expect(after.contains(family), "\(family)")
            }
            for secret in ["metrics-demo", "group-1", "SECRET_KEY", "do-not-leak", Self.token, "no-such-group"] {
                #expect(!after.contains(secret), "\(secret) in the metrics")
            }
        }
    }

    @Test func withMetricsPublicNoTokenIsNeededAndWithoutMetricsThereIsNoRoute() async throws {
        try await Self.withServer(["--metrics", "--metrics-public"]) { request in
            let open = try await request(.get, "/metrics", nil, false)
            #expect(open.status == .ok)
        }
        try await Self.withServer([]) { request in
            let absent = try await request(.get, "/metrics", nil, true)
            #expect(absent.status == .notFound)
        }
    }
}
