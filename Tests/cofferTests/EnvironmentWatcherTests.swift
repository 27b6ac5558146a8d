import CofferClient
import CofferCore
import CofferTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import coffer

/// `coffer run --watch`'s reading of the environment against a server that sends no `ETag` (as before conditional
/// reads existed) and that fails for a while: a change is told once it has settled, an equal answer is no change,
/// and failures only delay it.
@Suite struct EnvironmentWatcherTests {
    /// A runtime-environment route answering `variables` as JSON without an ETag, or `failing` with a 500.
    struct FakeServer: Sendable {
        let variables = Shared(["MODE": "one"])
        let failing = Shared(false)
        let requests = Shared<[String?]>([])  // the If-None-Match of each

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.get("v1/projects/demo/services/api/runtime-environment") { request, _ -> Response in
                requests.update { $0.append(request.headers[.ifNoneMatch]) }
                if failing.value { return Response(status: .internalServerError) }
                let body = try JSONEncoder().encode(["data": ["runtimeEnvironment": variables.value]])
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test func withoutETagsADifferentAnswerIsAChangeOnceSettledAndFailuresOnlyDelayIt() async throws {
        let server = FakeServer()
        try await server.application().test(.live) { testClient in
            let client = APIClient(configuration: ClientConfiguration(baseURL: "http://127.0.0.1:\(try #require(testClient.port))", token: "t"))
            var watcher = EnvironmentWatcher(client: client, projectId: "demo", teamId: nil, kind: .service, id: "api")
            watcher.debounce = .milliseconds(400)
            watcher.minimumInterval = .milliseconds(30)
            watcher.backoff = RetryBackoff(initial: .milliseconds(20), maximum: .milliseconds(50))
            let initial = try await watcher.read()
            #expect(initial.etag == nil && initial.values.variables == ["MODE": "one"])
            let changes = Shared<[[String: String]]>([])
            let notes = Shared<[String]>([])
            let watching = Task {
                await watcher.run(
                    from: initial.values,
                    etag: initial.etag,
                    changed: { values in changes.update { $0.append(values.variables) } },
                    note: { note in notes.update { $0.append(note) } }
                )
            }
            defer { watching.cancel() }
            #expect(try await Self.eventually { server.requests.value.count > 4 })
            #expect(changes.value.isEmpty, "the same answer again is no change")
            #expect(server.requests.value.allSatisfy { $0 == nil }, "polled, without a tag to send")

            // Two writes close together settle into one change, told once.
            server.variables.value = ["MODE": "two"]
            try await Task.sleep(for: .milliseconds(50))
            server.variables.value = ["MODE": "three"]
            #expect(try await Self.eventually { !changes.value.isEmpty })
            try await Task.sleep(for: .milliseconds(600))
            #expect(changes.value == [["MODE": "three"]])

            server.failing.value = true
            #expect(try await Self.eventually { !notes.value.isEmpty })
            server.variables.value = ["MODE": "four"]
            server.failing.value = false
            #expect(try await Self.eventually { changes.value.count == 2 })
            #expect(changes.value.last == ["MODE": "four"])
            #expect(notes.value.first?.hasPrefix("cannot read the runtime environment (") == true, "\(notes.value)")
            #expect(notes.value.count == 2 && notes.value[1].hasPrefix("reading the runtime environment again after "))
        }
    }

    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
