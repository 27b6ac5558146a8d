import ArgumentParser
import CofferClient
import CofferCore
import CofferTestSupport
import Foundation
import Testing

@testable import coffer

/// `coffer run --watch`: its arguments, rewriting the files, and the binary restarting or signalling a real command
/// when (and only when) its service's runtime environment changes on a live server.
@Suite struct RunWatchTests {
    func parse(_ arguments: [String]) throws -> RunCommand {
        try #require(try Coffer.parseAsRoot(arguments) as? RunCommand)
    }

    @Test func parsesTheWatchOptions() throws {
        let plain = try parse(["run", "--projectId", "demo", "--service", "api", "--", "true"])
        #expect(!plain.watch && plain.watchSignal == nil && plain.debounce == nil && plain.grace == nil)
        let watching = try parse([
            "run", "--projectId", "demo", "--service", "api", "--watch", "--watch-signal", "hup", "--debounce", "50", "--grace", "2.5", "--",
            "nginx",
        ])
        #expect(watching.watch && watching.watchSignal?.number == SIGHUP && watching.debounce == 50 && watching.grace == 2.5)
    }

    @Test(arguments: [
        ["run", "--projectId", "demo", "--service", "api", "--watch-signal", "HUP", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api", "--grace", "1", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api", "--debounce", "1", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api", "--watch", "--watch-signal", "HANGUP", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api", "--watch", "--debounce", "-1", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api", "--watch", "--grace", "-1", "--", "true"],
    ])
    func refusesWatchOptionsWithoutWatchOrOutOfRange(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func signalsAreNamedAsKillNamesThem() {
        #expect(SignalName(argument: "HUP")?.number == SIGHUP)
        #expect(SignalName(argument: "sigusr1")?.number == SIGUSR1 && SignalName(argument: "SIGUSR1")?.description == "SIGUSR1")
        #expect(SignalName(argument: String(SIGTERM))?.description == "SIGTERM")
        for text in ["", "0", "99", "SIG", "NOPE", "-1"] { #expect(SignalName(argument: text) == nil, "\(text)") }
    }

    @Test func updatingTheFilesReplacesThemWholeAndRemovesThoseGone() throws {
        let root = ClientProcess.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var files = try RuntimeFiles(root: root)
        func file(_ text: String) -> SecretFile { SecretFile(data: Data(text.utf8), encoding: .utf8) }
        try files.write(["/a/x": file("one"), "/b/y": file("gone soon")])
        try files.update(["/a/x": file("two"), "/c/z": file("new")])
        #expect(try String(contentsOfFile: root + "/a/x", encoding: .utf8) == "two")
        #expect(try String(contentsOfFile: root + "/c/z", encoding: .utf8) == "new")
        #expect(!FileManager.default.fileExists(atPath: root + "/b/y"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a") == ["x"], "no temporary file left beside it")
        #expect(files.written.sorted() == [root + "/a/x", root + "/c/z"])
        files.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }
}

/// The binary, against a live server: `coffer run --watch` with a shell script as the command.
@Suite struct RunWatchProcessTests {
    /// The reference group's `NODE_ENV` (which its file's template also uses) set to `value`.
    static func setNodeEnvironment(_ value: String, _ client: APIClient) async throws {
        _ = try await client.put.secret(
            projectId: "demo",
            data: JSONBody(ReferenceBody.replacing(#""NODE_ENV": "production""#, with: #""NODE_ENV": "\#(value)""#))
        )
    }

    /// A change that does not reach `example-service`: a group restricted to `other-service`.
    static func changeAnotherServicesGroup(_ value: String, _ client: APIClient) async throws {
        let body = #"""
            {"name": "Other Group", "secretType": "environment", "priority": 50,
             "restrictions": {"restricted": true, "nfObjects": [{"id": "other-service", "type": "service"}]},
             "secrets": {"variables": {"NODE_ENV": "VALUE"}}}
            """#
        _ = try await client.put.secret(projectId: "demo", data: JSONBody(body.replacingOccurrences(of: "VALUE", with: value)))
    }

    static func prepare(_ client: APIClient) async throws {
        try await RunCommandTests.prepareExampleService(client)
        _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Other Service"}"#))
    }

    /// The lines of `path` so far (none if it does not exist yet).
    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Polls until `path` has `count` lines, for up to `timeout`, and answers them.
    static func waitForLines(_ path: String, count: Int, timeout: Duration = .seconds(15)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while lines(path).count < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return lines(path)
    }

    static func isRunning(_ processID: String) -> Bool {
        guard let number = Int32(processID) else { return false }
        return kill(number, 0) == 0
    }

    static func run(_ options: [String], script: String, directory: String, url: String) throws -> ClientProcess {
        try ClientProcess(
            ["run", "--projectId", "demo", "--service", "example-service", "--watch", "--debounce", "100"] + options
                + ["--", "/bin/sh", "-c", script, "sh", directory + "/log"],
            url: url,
            directory: directory
        )
    }

    @Test func aChangeToItsEnvironmentRestartsTheCommandAndAChangeElsewhereDoesNot() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepare(client)
            let directory = ClientProcess.temporaryDirectory()
            // Each start appends its NODE_ENV and process id; SIGTERM ends it with status 3.
            let script = #"printf '%s %s\n' "$NODE_ENV" "$$" >> "$1"; trap 'exit 3' TERM; while :; do sleep 0.05; done"#
            let child = try Self.run(["--grace", "5"], script: script, directory: directory, url: url)
            let log = directory + "/log"
            let first = try await Self.waitForLines(log, count: 1)
            try #require(first.count == 1, "\(child.standardError)")
            let firstWords = first[0].split(separator: " ").map(String.init)
            #expect(firstWords[0] == "production")

            try await Self.changeAnotherServicesGroup("other", client)
            try await Task.sleep(for: .milliseconds(2500))  // past a debounce and more than one poll of a server without ETags
            #expect(Self.lines(log) == first, "a group of another service changes nothing here")
            #expect(Self.isRunning(firstWords[1]))

            try await Self.setNodeEnvironment("staging", client)
            let second = try await Self.waitForLines(log, count: 2)
            try #require(second.count == 2, "\(child.standardError)")
            let secondWords = second[1].split(separator: " ").map(String.init)
            #expect(secondWords[0] == "staging" && secondWords[1] != firstWords[1])
            #expect(!Self.isRunning(firstWords[1]), "the first command was stopped before the second started")
            #expect(child.standardError.contains("coffer: the runtime environment changed; restarting the command"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(Self.lines(log).count == 2, "one restart for one change")

            child.signal(SIGTERM)
            #expect(try await child.exitStatus() == 3, "coffer exits with the command's status")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty, "files removed")
        }
    }

    @Test func withAWatchSignalTheFilesAreRewrittenAndTheCommandSignalledInsteadOfRestarted() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepare(client)
            let directory = ClientProcess.temporaryDirectory()
            let script = #"""
                say() { printf '%s %s %s %s\n' "$1" "$$" "$(cat "$COFFER_FILES_ROOT/dir/fileName")" "$(ls -A "$COFFER_FILES_ROOT/dir")" >> "$LOG"; }
                LOG="$1"; trap 'say hup' HUP; trap 'exit 4' TERM; say start; while :; do sleep 0.05; done
                """#
            let child = try Self.run(["--watch-signal", "HUP"], script: script, directory: directory, url: url)
            let log = directory + "/log"
            let first = try await Self.waitForLines(log, count: 1)
            try #require(first.count == 1, "\(child.standardError)")
            let processID = String(first[0].split(separator: " ")[1])
            #expect(first[0] == "start \(processID) This is an example with a templated production variable fileName")

            try await Self.setNodeEnvironment("staging", client)
            let second = try await Self.waitForLines(log, count: 2)
            try #require(second.count == 2, "\(child.standardError)")
            #expect(second[1] == "hup \(processID) This is an example with a templated staging variable fileName", "same process, new file")
            #expect(child.standardError.contains("coffer: the runtime environment changed; rewrote the files and sent SIGHUP to the command"))

            child.signal(SIGTERM)
            #expect(try await child.exitStatus() == 4)
        }
    }

    @Test func aCommandThatIgnoresSIGTERMIsKilledAfterTheGraceAndStartedAgain() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepare(client)
            let directory = ClientProcess.temporaryDirectory()
            let script = #"trap '' TERM; printf '%s %s\n' "$NODE_ENV" "$$" >> "$1"; while :; do sleep 0.05; done"#
            let child = try Self.run(["--grace", "0.5"], script: script, directory: directory, url: url)
            let log = directory + "/log"
            try #require(try await Self.waitForLines(log, count: 1).count == 1, "\(child.standardError)")
            try await Self.setNodeEnvironment("staging", client)
            let lines = try await Self.waitForLines(log, count: 2)
            try #require(lines.count == 2, "\(child.standardError)")
            #expect(lines[1].hasPrefix("staging "))
            #expect(child.standardError.contains("did not stop within 0.5 s of SIGTERM; sending SIGKILL"))
            child.signal(SIGINT)
            #expect(try await child.exitStatus() == 128 + SIGINT, "SIGINT passed on; the shell dies of it")
        }
    }
}
