import ArgumentParser
import CofferClient
import CofferTestSupport
import Foundation
import Testing

@testable import coffer

/// `coffer run`: its arguments, and the binary running a command with a service's runtime environment and files
/// from a live server.
@Suite struct RunCommandTests {
    func parse(_ arguments: [String]) throws -> RunCommand {
        try #require(try Coffer.parseAsRoot(arguments) as? RunCommand)
    }

    @Test func parsesAWorkloadAndTheCommandAfterTheTerminator() throws {
        let service = try parse(["run", "--projectId", "demo", "--service", "api", "--", "node", "server.js", "--job", "x"])
        #expect(service.projectId == "demo" && service.service == "api" && service.job == nil)
        #expect(service.command == ["node", "server.js", "--job", "x"])
        #expect(service.filesRoot == nil)
        let job = try parse(["run", "--job", "nightly", "--files-root", "/srv/files", "--projectId", "demo", "--teamId", "ops", "--", "./run.sh"])
        #expect(job.job == "nightly" && job.service == nil && job.filesRoot == "/srv/files" && job.connection.teamId == "ops")
        #expect(job.command == ["./run.sh"])
    }

    @Test(arguments: [
        ["run", "--projectId", "demo", "--service", "api", "--job", "nightly", "--", "true"],
        ["run", "--projectId", "demo", "--", "true"],
        ["run", "--service", "api", "--", "true"],
        ["run", "--projectId", "demo", "--service", "api"],
        ["run", "--projectId", "demo", "--service", "api", "--"],
        ["run", "--projectId", "demo", "--service", "api", "true"],
    ])
    func refusesAmbiguousOrIncompleteArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func helpShowsAnExample() {
        #expect(Coffer.helpMessage(for: RunCommand.self).contains("coffer run --projectId demo --service example-service -- node server.js"))
    }

    @Test func resolvedVariablesWinOverTheInheritedEnvironment() throws {
        let command = try parse(["run", "--projectId", "demo", "--service", "api", "--", "true"])
        let environment = try command.environment(
            adding: ["NODE_ENV": "production", "COFFER_FILES_ROOT": "/elsewhere"],
            filesRoot: "/tmp/root",
            inherited: ["NODE_ENV": "development", "PATH": "/bin"]
        )
        #expect(environment == ["NODE_ENV": "production", "PATH": "/bin", "COFFER_FILES_ROOT": "/tmp/root"])
        let error = #expect(throws: CLIError.self) {
            try command.environment(adding: ["TOKEN": "hunter2\0rest"], filesRoot: "/tmp/root", inherited: [:])
        }
        #expect(error?.message.contains("'TOKEN'") == true && error?.message.contains("hunter2") == false)
    }

    @Test(arguments: ["relative/path", "/", "/dir/../../escape", "/../escape", "/dir/.."])
    func runtimeFilePathsThatWouldLeaveTheRootAreRefused(_ path: String) {
        #expect(throws: CLIError.self) { try RuntimeFiles.components(of: path) }
    }

    @Test func runtimeFilePathsMapUnderTheRoot() throws {
        #expect(try RuntimeFiles.components(of: "/dir/fileName") == ["dir", "fileName"])
        #expect(try RuntimeFiles.components(of: "//a/./b//c") == ["a", "b", "c"])
    }

    /// The reference group (restricted to `example-service`) and that service.
    static func prepareExampleService(_ client: APIClient) async throws {
        _ = try await client.put.secret(projectId: "demo", data: JSONBody(ReferenceBody.json))
        _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Example Service"}"#))
    }

    @Test func theCommandSeesResolvedVariablesAndFilesWhichAreGoneAfterwards() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let directory = ClientProcess.temporaryDirectory()
            let out = directory + "/out"
            let script = """
                printf '%s\\n' "$NODE_ENV" "$INHERITED" "$COFFER_FILES_ROOT" > "$1"
                cat "$COFFER_FILES_ROOT/dir/fileName" >> "$1"; printf '\\n' >> "$1"
                stat -c %a "$COFFER_FILES_ROOT" "$COFFER_FILES_ROOT/dir" "$COFFER_FILES_ROOT/dir/fileName" >> "$1"
                ls -A "$COFFER_FILES_ROOT" >> "$1"
                exit 7
                """
            let child = try ClientProcess(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", script, "sh", out],
                url: url,
                directory: directory,
                environment: ["NODE_ENV": "development", "INHERITED": "from coffer's environment"]
            )
            #expect(try await child.exitStatus() == 7)
            #expect(child.standardError.isEmpty && child.standardOutput.isEmpty)
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            try #require(lines.count == 9)
            #expect(lines[0] == "production", "resolved variables win over coffer's environment")
            #expect(lines[1] == "from coffer's environment")
            let root = lines[2]
            #expect(root.hasPrefix(directory + "/tmp/coffer-run-"), "a fresh directory in TMPDIR")
            #expect(lines[3] == "This is an example with a templated production variable")
            #expect(Array(lines[4...6]) == ["700", "700", "600"])
            #expect(lines[7] == "dir" && lines[8] == "")
            #expect(!FileManager.default.fileExists(atPath: root), "the temporary root is removed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)
        }
    }

    @Test func aGivenFilesRootKeepsEverythingButTheFilesWritten() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let directory = ClientProcess.temporaryDirectory()
            let root = directory + "/files"
            try FileManager.default.createDirectory(atPath: root + "/kept", withIntermediateDirectories: true)
            try "mine".write(toFile: root + "/kept/own.txt", atomically: true, encoding: .utf8)
            let child = try ClientProcess(
                [
                    "run", "--projectId", "demo", "--service", "example-service", "--files-root", root, "--", "/bin/sh", "-c",
                    #"cat "$COFFER_FILES_ROOT/dir/fileName""#,
                ],
                url: url,
                directory: directory
            )
            #expect(try await child.exitStatus() == 0)
            #expect(child.standardOutput == "This is an example with a templated production variable")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["kept"], "the file and the directory made for it are gone")
            #expect(try String(contentsOfFile: root + "/kept/own.txt", encoding: .utf8) == "mine")
        }
    }

    @Test(arguments: [false, true])
    func theCommandInheritsWhatCofferInheritedButNothingOfItsClient(ignoringBrokenPipes: Bool) async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let directory = ClientProcess.temporaryDirectory()
            // The launcher opens descriptor 7 for coffer, lists what coffer starts with, and sets how it gets SIGPIPE.
            let launcher = """
                exec 7</dev/null; ls /proc/$$/fd > "$COFFER_TEST_DIR/inherited"
                \(ignoringBrokenPipes ? "trap '' PIPE; exec" : "exec env --default-signal=PIPE") "$0" "$@"
                """
            let script = #"ls -l /proc/$$/fd > "$1/child"; grep SigIgn /proc/$$/status > "$1/signals""#
            let child = try ClientProcess(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", script, "sh", directory],
                url: url,
                directory: directory,
                environment: ["COFFER_TEST_DIR": directory],
                launcher: launcher
            )
            #expect(try await child.exitStatus() == 0)
            let inherited = try String(contentsOfFile: directory + "/inherited", encoding: .utf8).split(separator: "\n").map(String.init)
            let listing = try String(contentsOfFile: directory + "/child", encoding: .utf8)
            let descriptors = listing.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").dropLast(2).last.map(String.init) }
            #expect(Set(descriptors).isSubset(of: Set(inherited).union(["0", "1", "2"])), "nothing coffer opened itself")
            #expect(listing.contains("7 -> /dev/null"))
            let status = try String(contentsOfFile: directory + "/signals", encoding: .utf8)
            let ignored = try #require(UInt64(status.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", radix: 16))
            #expect((ignored & (1 << (SIGPIPE - 1)) != 0) == ignoringBrokenPipes, "SIGPIPE handled as coffer got it, not as its networking set it")
        }
    }

    @Test func signalsFromTheTerminalAreNotPassedOnToACommandTheyReachedAlready() {
        #expect(SignalForwarding.reachedChildAlready(sentByKernel: true, childGroup: 42, ownGroup: 42))
        #expect(!SignalForwarding.reachedChildAlready(sentByKernel: false, childGroup: 42, ownGroup: 42), "kill(2) reaches coffer alone")
        #expect(!SignalForwarding.reachedChildAlready(sentByKernel: true, childGroup: 43, ownGroup: 42), "the command left coffer's group")
    }

    /// Ctrl-C at a real (pseudo-)terminal stops the command, which sees one SIGINT. (A forwarded copy arriving while
    /// the terminal's is still pending would merge with it, so this cannot always catch a duplicate; the rule itself
    /// is tested above.)
    @Test func ctrlCAtTheTerminalStopsTheCommandWithOneSignal() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let directory = ClientProcess.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Counts the SIGINTs it gets, waiting a little after the first for a second, and exits with the count.
            let script = #"n=0; trap 'n=$((n+1))' INT; : > "$1/ready"; while [ $n -eq 0 ]; do sleep 0.05; done; sleep 0.3; exit $n"#
            let session = try TerminalSession(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", script, "sh", directory],
                environment: [
                    "COFFER_URL": url, "COFFER_TOKEN": ClientProcess.token, "HOME": directory, "TMPDIR": directory,
                    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                ]
            )
            let deadline = ContinuousClock.now + .seconds(20)
            while !FileManager.default.fileExists(atPath: directory + "/ready") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(FileManager.default.fileExists(atPath: directory + "/ready"))
            session.type("\u{03}")
            #expect(try await session.exitStatus() == 1, "the terminal's SIGINT only, not a forwarded copy too")
        }
    }

    @Test func aCommandThatCannotStartIsOneLineAndStatus127() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let missing = try await ClientProcess.run(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "coffer-no-such-command", "--flag"],
                url: url
            )
            #expect(missing.status == 127)
            #expect(missing.err == "coffer: error: Cannot run 'coffer-no-such-command': No such file or directory\n")
            let unknown = try await ClientProcess.run(["run", "--projectId", "demo", "--service", "no-such-service", "--", "true"], url: url)
            #expect(unknown.status == 1 && unknown.err.hasPrefix("coffer: error: ") && unknown.err.contains("HTTP 404"))
        }
    }

    @Test func aCommandKilledBySignalExitsWith128PlusTheSignal() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let killed = try await ClientProcess.run(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", "kill -KILL $$"],
                url: url
            )
            #expect(killed.status == 128 + SIGKILL)
        }
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalsArePassedOnToTheCommand(_ signal: Int32) async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            let directory = ClientProcess.temporaryDirectory()
            let ready = directory + "/ready"
            // The trap runs between the short sleeps, so the shell exits 3 soon after the signal reaches it.
            let script = #"trap 'exit 3' INT TERM HUP; ls "$COFFER_FILES_ROOT" > "$1"; while :; do sleep 0.05; done"#
            let child = try ClientProcess(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", script, "sh", ready],
                url: url,
                directory: directory
            )
            let deadline = ContinuousClock.now + .seconds(20)
            while !FileManager.default.fileExists(atPath: ready) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try #require(FileManager.default.fileExists(atPath: ready))
            child.signal(signal)
            #expect(try await child.exitStatus() == 3)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty, "files removed after a signal too")
        }
    }
}

extension RunCommandTests {
    /// The production path: a `workload` token scoped to one service runs that service's command and reads nothing else.
    @Test func aWorkloadTokenRunsItsServiceAndNothingElse() async throws {
        try await ClientProcess.withServer { url, client in
            try await Self.prepareExampleService(client)
            _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Other Service"}"#))
            let body =
                #"{"name": "example runtime", "role": "workload", "workload": {"projectId": "demo", "kind": "service", "id": "example-service"}}"#
            let created = try await client.create.token(data: JSONBody(body))
            let environment = ["COFFER_TOKEN": created.secret]

            let own = try await ClientProcess.run(
                ["run", "--projectId", "demo", "--service", "example-service", "--", "/bin/sh", "-c", "printf %s \"$NODE_ENV\""],
                url: url,
                environment: environment
            )
            #expect(own.status == 0, "\(own.err)")
            #expect(own.out == "production")

            let other = try await ClientProcess.run(
                ["run", "--projectId", "demo", "--service", "other-service", "--", "true"],
                url: url,
                environment: environment
            )
            #expect(other.status == 1)
            #expect(other.err.contains("limited to service 'example-service' of project 'demo'"))
            let secret = try await ClientProcess.run(
                ["get", "secret", "--projectId", "demo", "--secretId", "example-secret"],
                url: url,
                environment: environment
            )
            #expect(secret.status == 1 && secret.err.contains("Project > Secrets > SecretGroups > Read"))

            try await client.delete.token(id: created.token.id)
            #expect(try await client.list.tokens().first { $0.id == created.token.id }?.status == .revoked)
        }
    }
}
