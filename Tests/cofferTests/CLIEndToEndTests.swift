import CofferCore
import CofferTestSupport
import Foundation
import Testing

/// The `coffer` binary driving a live `coffer serve`, as a user's terminal does.
@Suite(.serialized) struct CLIEndToEndTests {
    let home = NSTemporaryDirectory() + "coffer-cli-home-" + UUID().uuidString
    static let token = "coffer_cli-test-admin-token-0123456789abcdef"

    /// Runs the CLI with `arguments`, a private HOME and `environment`; returns its status and output. Waits without
    /// blocking a thread (output goes to files, the exit is polled): a test blocked in `waitUntilExit` holds one of
    /// the few threads every other test in the run needs, and on two cores that starved PostgreSQL tests past their
    /// timeouts once suites ran in parallel.
    func cli(
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: String? = nil
    ) async throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = ServerProcess.executable
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment
        for key in ["COFFER_URL", "COFFER_TOKEN", "NORTHFLANK_API_BASE_URL", "NORTHFLANK_API_TOKEN", "XDG_CONFIG_HOME"] { base[key] = nil }
        base["HOME"] = home
        process.environment = base.merging(environment) { $1 }
        let directory = NSTemporaryDirectory() + "coffer-cli-output-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["stdout", "stderr"] { _ = FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: nil) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/stdout"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/stderr"))
        defer {
            try? out.close()
            try? err.close()
        }
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        defer { process.killIfRunning() }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let status = try await process.waitForExit(timeout: .seconds(60))
        let output = (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
        return (status, output, errors)
    }

    func startServer() async throws -> (ServerProcess, String) {
        let server = try ServerProcess(
            arguments: ["--data-dir", NSTemporaryDirectory() + "coffer-cli-data-" + UUID().uuidString],
            environment: ["COFFER_ADMIN_TOKEN": Self.token]
        )
        return (server, "http://127.0.0.1:\(try await server.port())")
    }

    @Test func referenceBodyGoesInWithPutAndComesBackAsYAML() async throws {
        let (server, url) = try await startServer()
        defer { server.signal(SIGTERM) }
        let login = try await cli(["login", "--url", url, "--token", Self.token, "--name", "local"])
        #expect(login.status == 0 && login.out.contains("as context 'local'"))
        let configPath = home + "/.config/coffer/config.yaml"
        #expect((try FileManager.default.attributesOfItem(atPath: configPath)[.posixPermissions] as? Int) == 0o600)
        #expect(try await cli(["context", "list"]).out.contains("* local  \(url)"))

        #expect(try await cli(["create", "project", "-i", "name: Demo", "--quiet"]) == (0, "", ""))
        let bodyPath = home + "/put-secret.request.json"
        try ReferenceBody.json.write(toFile: bodyPath, atomically: true, encoding: .utf8)
        let put = try await cli(["put", "secret", "--projectId", "demo", "-f", bodyPath])
        #expect(put.status == 0)
        #expect(put.out.contains(#""id" : "example-secret""#))

        let yaml = try await cli(["get", "secret", "--projectId", "demo", "--secretId", "example-secret", "-o", "yaml"])
        #expect(yaml.status == 0)
        #expect(yaml.out.contains("id: example-secret") && yaml.out.contains("NODE_ENV: production"))
        #expect(yaml.out.contains("/dir/fileName:") && yaml.out.contains("priority: 10"))

        let fromStdin = try await cli(
            ["put", "secret", "--projectId", "demo", "-f", "-", "-o", "yaml"],
            stdin: "name: From Stdin\nsecretType: arguments\npriority: 1\n"
        )
        #expect(fromStdin.status == 0 && fromStdin.out.contains("id: from-stdin"))
        let table = try await cli(["list", "secrets", "--projectId", "demo", "-o", "table"])
        #expect(table.out.split(separator: "\n").count == 3 && table.out.hasPrefix("ID"))
    }

    @Test func failuresAreOneLineOnStandardErrorWithAFailingStatus() async throws {
        let (server, url) = try await startServer()
        defer { server.signal(SIGTERM) }
        let environment = ["COFFER_URL": url, "COFFER_TOKEN": Self.token]
        _ = try await cli(["create", "project", "-i", #"{"name": "Demo"}"#], environment: environment)
        let invalid = try await cli(
            ["put", "secret", "--projectId", "demo", "-i", #"{"name": "x", "secretType": "env", "priority": 1}"#],
            environment: environment
        )
        #expect(invalid.status == 1 && invalid.out.isEmpty)
        #expect(
            invalid.err
                == "coffer: error: Validation failed: the request body breaks 2 rule(s), listed in details (HTTP 400): "
                + "name: must be at least 3 characters long, secretType: must be one of: environment, arguments, environment-arguments\n"
        )
        let missing = try await cli(["get", "secret", "--projectId", "demo", "--secretId", "nope"], environment: environment)
        #expect(missing.status == 1 && missing.err == "coffer: error: Secret 'nope' not found (HTTP 404)\n")
        let northflankNames = try await cli(
            ["list", "projects", "-o", "table"],
            environment: ["NORTHFLANK_API_BASE_URL": url, "NORTHFLANK_API_TOKEN": Self.token]
        )
        #expect(northflankNames.status == 0 && northflankNames.out.contains("demo"))
        let wrongToken = try await cli(
            ["list", "projects"],
            environment: ["COFFER_URL": url, "COFFER_TOKEN": "coffer_wrong-000000000000000000000000000"]
        )
        #expect(wrongToken.status == 1 && wrongToken.err == "coffer: error: The token used to authenticate is not valid (HTTP 401)\n")
        let verbose = try await cli(["get", "project", "--projectId", "demo", "--verbose"], environment: environment)
        #expect(verbose.err.hasPrefix("GET \(url)/v1/projects/demo -> 200 (") && !verbose.err.contains(Self.token))
        let nothing = try await cli(["list", "projects"])
        #expect(nothing.status == 1 && nothing.err.hasPrefix("coffer: error: No server configured"))
    }

    @Test func historyDiffRollbackAndRestoreFromTheCommandLine() async throws {
        let (server, url) = try await startServer()
        defer { server.signal(SIGTERM) }
        let environment = ["COFFER_URL": url, "COFFER_TOKEN": Self.token]
        func run(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
            try await cli(arguments, environment: environment)
        }
        let group = ["--projectId", "demo", "--secretId", "example-secret"]
        #expect(try await run(["create", "project", "-i", #"{"name": "Demo"}"#, "--quiet"]).status == 0)
        let body = #"{"name": "Example Secret", "secretType": "environment", "priority": 1, "secrets": {"variables": {"A": "one"}}}"#
        #expect(try await run(["put", "secret", "--projectId", "demo", "-i", body, "--quiet"]).status == 0)
        let moment = Timestamp.now().rfc3339
        try await Task.sleep(for: .milliseconds(10))
        let changed = body.replacingOccurrences(of: #""A": "one""#, with: #""A": "two", "B": "new""#)
        #expect(try await run(["put", "secret", "--projectId", "demo", "-i", changed, "--quiet"]).status == 0)

        let history = try await run(["history", "secret"] + group + ["-o", "table"])
        #expect(history.status == 0, "\(history.err)")
        let rows = history.out.split(separator: "\n")
        #expect(rows.count == 3 && rows[0].hasPrefix("VERSION") && rows[1].hasPrefix("2 (current)") && rows[2].hasPrefix("1 "))
        #expect(!history.out.contains("two"), "no values in the history")

        let diff = try await run(["diff", "secret"] + group + ["-o", "table"])
        #expect(diff.out.contains("  + B") && diff.out.contains("  ~ A") && !diff.out.contains("two"))
        let shown = try await run(["diff", "secret"] + group + ["--show-values", "-o", "table"])
        #expect(shown.out.contains("two"), "\(shown.out)")

        let rollback = try await run(["rollback", "secret"] + group + ["--version", "1", "--if-match", "2", "-o", "yaml"])
        #expect(rollback.status == 0 && rollback.out.contains("A: one"), "\(rollback.err)")
        let stale = try await run(["rollback", "secret"] + group + ["--version", "2", "--if-match", "2"])
        #expect(stale.status == 1 && stale.err.contains("(HTTP 412)"))

        #expect(try await run(["delete", "secret"] + group + ["--quiet"]).status == 0)
        #expect(try await run(["restore", "secret"] + group + ["--quiet"]).status == 0)
        let exists = try await run(["restore", "secret"] + group)
        #expect(exists.status == 1 && exists.err == "coffer: error: Secret 'example-secret' exists; only a deleted secret can be restored (HTTP 409)\n")

        #expect(try await run(["put", "secret", "--projectId", "demo", "-i", changed, "--quiet"]).status == 0)
        let plan = try await run(["restore", "project", "--projectId", "demo", "--as-of", moment, "--dry-run", "-o", "table"])
        #expect(plan.status == 0 && plan.out.hasPrefix("Dry run:") && plan.out.contains("rollback  example-secret"), "\(plan.out)")
        let asOf = try await run(["list", "secrets", "--projectId", "demo", "--as-of", "yesterday"])
        // Refused before anything is sent, as a usage error.
        #expect(asOf.status == 64 && asOf.err.contains("--as-of must be an RFC 3339 time"))
        let future = try await run(["list", "secrets", "--projectId", "demo", "--as-of", "2999-01-01T00:00:00.000Z"])
        #expect(future.status == 1 && future.err == "coffer: error: 'asOf' is in the future (HTTP 400): asOf: must not be in the future\n")
    }
}
