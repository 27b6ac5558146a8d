import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore
import CofferPostgresTestSupport
import CofferTestSupport
import Foundation
import Testing

@testable import coffer

/// `coffer watch`: its arguments, its lines, and the binary following a live `coffer serve` through a restart.
@Suite struct WatchCommandTests {
    func parse(_ arguments: [String]) throws -> WatchCommand {
        try #require(try Coffer.parseAsRoot(arguments) as? WatchCommand)
    }

    @Test func parsesAProjectASinceAndJSONOutput() throws {
        let plain = try parse(["watch", "--projectId", "demo"])
        #expect(plain.projectId == "demo" && plain.since == nil && plain.connection.chosenOutput == nil)
        let json = try parse(["watch", "--projectId", "demo", "--since", "42", "-o", "json", "--teamId", "ops"])
        #expect(json.since == 42 && json.connection.chosenOutput == .json && json.connection.teamId == "ops")
    }

    @Test(arguments: [
        ["watch"], ["watch", "--projectId", "demo", "-o", "yaml"], ["watch", "--projectId", "demo", "-o", "table"],
        ["watch", "--projectId", "demo", "--since", "-1"], ["watch", "--projectId", "demo", "--since", "soon"],
    ])
    func refusesWhatItCannotDo(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func helpShowsAnExample() {
        #expect(Coffer.helpMessage(for: WatchCommand.self).contains("coffer watch --projectId demo -o json"))
    }

    @Test func aChangeIsOneLineOfNamesOrOneJSONObject() throws {
        let at = try #require(Timestamp(rfc3339: "2026-11-28T17:00:00.000Z"))
        let group = ChangeResource(
            revision: 12,
            at: at,
            action: .update,
            resourceType: .secret,
            resourceId: "example-secret",
            version: 3,
            changedKeys: ["A", "B"],
            changedFields: ["secrets"]
        )
        #expect(try WatchCommand.line(for: group, json: false) == "12 2026-11-28T17:00:00.000Z update secret example-secret v3 keys: A, B")
        let service = ChangeResource(
            revision: 13,
            at: at,
            action: .create,
            resourceType: .service,
            resourceId: "api",
            version: nil,
            changedKeys: [],
            changedFields: ["name"]
        )
        #expect(try WatchCommand.line(for: service, json: false) == "13 2026-11-28T17:00:00.000Z create service api")
        let json = try WatchCommand.line(for: group, json: true)
        #expect(!json.contains("\n"))
        #expect(try JSONDecoder().decode(ChangeResource.self, from: Data(json.utf8)) == group)
    }

    @Test func reconnectingIsNotedAndEachFailureOnlyWhenVerbose() {
        let failure = ChangeWatch.Event.interrupted(TransportError("Cannot reach x"), attempt: 2, retryingIn: .milliseconds(500))
        #expect(WatchCommand.note(for: failure, verbose: false) == nil)
        #expect(WatchCommand.note(for: failure, verbose: true) == "watch interrupted (attempt 2): Cannot reach x; retrying in 500 ms")
        #expect(
            WatchCommand.note(for: .resumed(revision: 9, failedAttempts: 3), verbose: false)
                == "reconnected after 3 failed attempts; watching after revision 9"
        )
        #expect(WatchCommand.note(for: .started(revision: 9), verbose: true) == nil)
    }
}

/// The binary: `coffer watch` against `coffer serve` processes on one data directory and one port.
@Suite(.serialized) struct WatchProcessTests {
    static let body = #"{"name": "NAME", "secretType": "environment", "priority": 1, "secrets": {"variables": {"KEY": "VALUE"}}}"#

    static func put(_ client: APIClient, _ name: String, key: String = "A", value: String = "1") async throws {
        let text = body.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "KEY", with: key)
            .replacingOccurrences(of: "VALUE", with: value)
        _ = try await client.put.secret(projectId: "demo", data: JSONBody(text))
    }

    /// The lines a process has printed whole so far.
    static func lines(_ process: ClientProcess) -> [String] {
        let text = process.standardOutput
        return text.split(separator: "\n").map(String.init).dropLast(text.hasSuffix("\n") ? 0 : 1)
    }

    static func eventually(_ timeout: Duration = .seconds(15), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// The project's current revision, as a watch without `--since` would start from it.
    static func revision(_ client: APIClient) async throws -> Int64 {
        let started = Shared<Int64?>(nil)
        let first = Task {
            var iterator = client.watch.changes(projectId: "demo") { if case .started(let revision) = $0 { started.value = revision } }
                .makeAsyncIterator()
            _ = try await iterator.next()
        }
        defer { first.cancel() }
        let known = try await eventually { started.value != nil }
        guard known, let revision = started.value else { throw ProcessError(message: "no revision") }
        return revision
    }

    @Test func watchPrintsEachChangeOnceInOrderAndCarriesOnAfterTheServerRestarts() async throws {
        let dataDirectory = NSTemporaryDirectory() + "coffer-watch-data-" + UUID().uuidString
        let port = try ClosedPort().port  // free once the value is gone
        let arguments = ["--data-dir", dataDirectory, "--port", String(port)]
        let environment = ["COFFER_ADMIN_TOKEN": ClientProcess.token]
        let first = try ServerProcess(arguments: arguments, environment: environment)
        #expect(try await first.port() == port, "the later --port wins")
        let url = "http://127.0.0.1:\(port)"
        let client = APIClient(configuration: ClientConfiguration(baseURL: url, token: ClientProcess.token))
        _ = try await client.create.project(data: JSONBody(#"{"name": "Demo"}"#))
        let start = try await Self.revision(client)

        let json = try ClientProcess(
            ["watch", "--projectId", "demo", "-o", "json", "--since", String(start)],
            url: url,
            directory: ClientProcess.temporaryDirectory()
        )
        let text = try ClientProcess(
            ["watch", "--projectId", "demo", "--since", String(start)],
            url: url,
            directory: ClientProcess.temporaryDirectory()
        )
        try await Self.put(client, "Alpha")
        try await Self.put(client, "Alpha", key: "B")
        _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Api"}"#))
        try await client.delete.secret(projectId: "demo", secretId: "alpha")
        #expect(try await Self.eventually { Self.lines(json).count >= 4 && Self.lines(text).count >= 4 }, "\(json.standardError)")
        try await Task.sleep(for: .milliseconds(300))  // nothing more comes
        let changes = try Self.lines(json).map { try JSONDecoder().decode(ChangeResource.self, from: Data($0.utf8)) }
        #expect(
            changes.map { "\($0.action) \($0.resourceType) \($0.resourceId)" } == [
                "create secret alpha", "update secret alpha", "create service api", "delete secret alpha",
            ]
        )
        #expect(changes.map(\.revision) == changes.map(\.revision).sorted() && changes.first.map { $0.revision > start } == true)
        #expect(changes[1].changedKeys == ["A", "B"] && changes[1].version == 2)
        let words = Self.lines(text).map { $0.split(separator: " ").map(String.init) }
        #expect(words.count == 4 && words.map { $0[0] } == changes.map { String($0.revision) })
        #expect(words[1].dropFirst(2) == ["update", "secret", "alpha", "v2", "keys:", "A,", "B"])
        text.signal(SIGTERM)
        #expect(try await text.exitStatus() == 0, "SIGTERM ends a watch with status 0")

        // A graceful stop waits for the long polls it is answering (up to their 30 s).
        first.signal(SIGTERM)
        #expect(try await first.exitStatus(timeout: .seconds(45)) == 0)
        try await Task.sleep(for: .milliseconds(500))  // the watch retries against a closed port meanwhile
        let second = try ServerProcess(arguments: arguments, environment: environment)
        _ = try await second.port()
        defer { second.signal(SIGTERM) }
        try await Self.put(client, "Beta")
        #expect(try await Self.eventually { Self.lines(json).count >= 5 }, "\(json.standardError)")
        try await Task.sleep(for: .milliseconds(300))
        let after = try Self.lines(json).map { try JSONDecoder().decode(ChangeResource.self, from: Data($0.utf8)) }
        #expect(after.count == 5 && Array(after.prefix(4)) == changes, "nothing repeated")
        #expect(after.last?.resourceId == "beta" && after.last?.action == .create)
        #expect(json.standardError.hasPrefix("coffer: reconnected after "), "\(json.standardError)")
        #expect(json.standardError.split(separator: "\n").count == 1, "one note")
        json.signal(SIGINT)
        #expect(try await json.exitStatus() == 0)
    }
}
