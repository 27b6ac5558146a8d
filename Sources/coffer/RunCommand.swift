import ArgumentParser
import CofferClient
import CofferCore
import Foundation

/// `coffer run`: runs a command locally with the configuration a service or job gets when deployed.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command with a service's or job's runtime environment and files.",
        discussion: """
            Fetches the workload's runtime environment with templates resolved, writes its runtime files under \
            --files-root (by absolute path: /dir/fileName becomes ROOT/dir/fileName, mode 0600) and runs the command \
            with the current environment plus the resolved variables (which win), and COFFER_FILES_ROOT set to the \
            root. SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed on to the command (except those a terminal sent to \
            both, such as Ctrl-C). When it ends, the files are removed and coffer exits with its status (128+N if \
            signal N killed it; 127 if it could not start).

            With --watch, coffer keeps watching the workload's runtime environment while the command runs. When it \
            changes (and stays unchanged for --debounce milliseconds), coffer restarts the command with the new \
            variables and files: SIGTERM, up to --grace seconds to stop, then SIGKILL, then the command again. With \
            --watch-signal HUP (or any signal), it instead rewrites the files in place (each replaced whole, by \
            rename) and sends the command that signal; the variables it started with stay as they were. A change \
            elsewhere in the project does nothing, and a failed read leaves the command running while coffer \
            retries. coffer still exits with the command's status once it ends by itself.

            Examples:
              coffer run --projectId demo --service example-service -- node server.js
              coffer run --projectId demo --service example-service --watch -- node server.js
              coffer run --projectId demo --service proxy --watch --watch-signal HUP -- nginx
            """
    )

    static let defaultDebounce = 500
    static let defaultGrace = 10.0

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
    @Option(help: "The service whose runtime environment to use.") var service: String?
    @Option(help: "The job whose runtime environment to use.") var job: String?
    @Option(
        name: .customLong("files-root"),
        help: "Where to write the runtime files (default: a private temporary directory, removed afterwards)."
    )
    var filesRoot: String?
    @Flag(help: "Restart the command (or signal it, with --watch-signal) whenever its runtime environment changes.")
    var watch = false
    @Option(
        name: .customLong("watch-signal"),
        help: "With --watch: rewrite the files and send the command this signal (HUP, USR1, ...) instead of restarting it."
    )
    var watchSignal: SignalName?
    @Option(help: "With --watch: milliseconds a change must stand before coffer acts on it (default: 500).")
    var debounce: Int?
    @Option(help: "With --watch: seconds the command has to stop after SIGTERM on a restart before SIGKILL (default: 10).")
    var grace: Double?
    @Argument(parsing: .postTerminator, help: "The command to run and its arguments, after '--'.") var command: [String] = []

    func validate() throws {
        guard (service == nil) != (job == nil) else { throw ValidationError("Give exactly one of --service or --job") }
        guard !command.isEmpty else { throw ValidationError("Give the command to run after '--', e.g. 'coffer run ... -- node server.js'") }
        if !watch, watchSignal != nil || debounce != nil || grace != nil {
            throw ValidationError("--watch-signal, --debounce and --grace go with --watch")
        }
        if let debounce, debounce < 0 { throw ValidationError("--debounce must be 0 or more milliseconds") }
        if let grace, !(0...86_400).contains(grace) { throw ValidationError("--grace must be from 0 to 86400 seconds") }
    }

    /// Not `ClientCommand`'s `run()`: what coffer inherited must be noted before the client opens anything.
    func run() async throws {
        let inheritance = Inheritance.current()
        try await reportingFailures { try await run(with: try connection.client(), inheritance: inheritance) }
    }

    func run(with client: APIClient, inheritance: Inheritance) async throws {
        let (kind, id) = service.map { (WorkloadKind.service, $0) } ?? (.job, job ?? "")
        var watcher = EnvironmentWatcher(client: client, projectId: projectId, teamId: connection.teamId, kind: kind, id: id)
        watcher.debounce = .milliseconds(debounce ?? Self.defaultDebounce)
        let initial = try await watcher.read()
        // From here on a signal must not kill coffer before the files it writes are removed.
        SignalForwarding.start()
        var files = try RuntimeFiles(root: filesRoot)
        defer { files.remove() }
        try files.write(initial.values.files)
        let status: Int32
        do {
            if watch {
                status = try await runWatching(watcher, from: initial, files: &files, inheritance: inheritance)
            } else {
                let environment = try environment(adding: initial.values.variables, filesRoot: files.root)
                status = try await ChildProcess.run(command, environment: environment, inheritance: inheritance)
            }
        } catch let error as LaunchError {
            FileHandle.standardError.write(Data("coffer: error: \(error)\n".utf8))
            throw ExitCode(127)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The command's environment: coffer's own, the resolved variables over it, and `COFFER_FILES_ROOT`.
    func environment(
        adding variables: [String: String],
        filesRoot: String,
        inherited: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String: String] {
        // An environment entry is a C string, so a NUL would cut a value short without a word; say so instead.
        if let key = variables.first(where: { $0.value.unicodeScalars.contains("\0") })?.key {
            throw CLIError("The variable '\(key)' holds a NUL character, which an environment variable cannot carry")
        }
        var environment = inherited.merging(variables) { $1 }
        environment["COFFER_FILES_ROOT"] = filesRoot
        return environment
    }
}
