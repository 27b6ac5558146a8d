import CofferClient
import CofferCore
import CofferCrypto
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import Foundation
import HummingbirdTesting
import Testing

/// A `coffer` client command run as a child process against a server, with a private HOME and output captured in
/// files (read once it has exited, so nothing written at the end is missed).
final class ClientProcess: Sendable {
    static let token = "coffer_run-export-import-token-0123456789ab"

    let process: Process
    let directory: String

    /// Starts `coffer arguments...` with COFFER_URL and COFFER_TOKEN set, HOME and TMPDIR under `directory`, and
    /// `environment` over the test's own; through `/bin/sh -c launcher coffer arguments...` when a launcher script is
    /// given (it ends by running `"$0" "$@"`).
    init(
        _ arguments: [String],
        url: String,
        directory: String,
        environment: [String: String] = [:],
        stdin: String? = nil,
        launcher: String? = nil
    ) throws {
        self.directory = directory
        for sub in ["home", "tmp"] { try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true) }
        let process = Process()
        if let launcher {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", launcher, ServerProcess.executable.path] + arguments
        } else {
            process.executableURL = ServerProcess.executable
            process.arguments = arguments
        }
        var base = ProcessInfo.processInfo.environment
        for key in ["NORTHFLANK_API_BASE_URL", "NORTHFLANK_API_TOKEN", "XDG_CONFIG_HOME"] { base[key] = nil }
        base["COFFER_URL"] = url
        base["COFFER_TOKEN"] = Self.token
        base["HOME"] = directory + "/home"
        base["TMPDIR"] = directory + "/tmp"
        process.environment = base.merging(environment) { $1 }
        for name in ["stdout", "stderr"] { _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: nil) }
        process.standardOutput = FileHandle(forWritingAtPath: directory + "/stdout")
        process.standardError = FileHandle(forWritingAtPath: directory + "/stderr")
        let input = Pipe()
        process.standardInput = input
        self.process = process
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
    }

    /// Runs a command to its end.
    static func run(
        _ arguments: [String],
        url: String,
        environment: [String: String] = [:],
        stdin: String? = nil
    ) async throws -> (status: Int32, out: String, err: String) {
        let child = try ClientProcess(arguments, url: url, directory: temporaryDirectory(), environment: environment, stdin: stdin)
        let status = try await child.exitStatus()
        return (status, child.standardOutput, child.standardError)
    }

    static func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "coffer-client-process-" + UUID().uuidString
    }

    var standardOutput: String { (try? String(contentsOfFile: directory + "/stdout", encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    /// Waits for the process to exit and returns its status.
    func exitStatus(timeout: Duration = .seconds(30)) async throws -> Int32 {
        try await process.waitForExit(timeout: timeout)
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    deinit {
        process.killIfRunning()
    }

    /// Runs `body` with the URL of a fresh live server (SQLite, team `default`, project `demo`) and a client of it.
    static func withServer(_ body: @escaping @Sendable (_ url: String, _ client: APIClient) async throws -> Void) async throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/coffer.sqlite", masterKey: .generate())
        _ = try await Startup.bootstrap(store, presetAdminToken: token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: .now())
        var configuration = ServerConfiguration()
        configuration.port = 0
        try await buildApplication(configuration: configuration, store: store).test(.live) { testClient in
            let url = "http://127.0.0.1:\(try #require(testClient.port))"
            try await body(url, APIClient(configuration: ClientConfiguration(baseURL: url, token: token)))
        }
    }
}
