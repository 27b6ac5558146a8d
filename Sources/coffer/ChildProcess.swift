import Foundation

/// The command `coffer run` starts: spawned with its own environment and what coffer inherited, sent the signals
/// coffer receives (`SignalForwarding`), and waited for, so that coffer can clean up its files and exit as it did.
enum ChildProcess {
    /// Runs `arguments` (the first found on PATH unless it holds a `/`) with exactly `environment` and what coffer
    /// inherited, and returns the status to exit with: the command's own, or 128 plus the signal that killed it.
    /// Throws `LaunchError` when the command cannot be started.
    static func run(_ arguments: [String], environment: [String: String], inheritance: Inheritance) async throws(LaunchError) -> Int32 {
        if let early = SignalForwarding.takeHeldSignal() { return 128 + early }  // stopped before it began: do not begin it
        let processID = try start(arguments, environment: environment, inheritance: inheritance)
        let status = await waitForExit(of: processID)
        SignalForwarding.childEnded()
        return exitCode(status)
    }

    /// Spawns the command and makes it the one signals are passed on to.
    static func start(_ arguments: [String], environment: [String: String], inheritance: Inheritance) throws(LaunchError) -> pid_t {
        let processID = try spawn(arguments, environment: environment, inheritance: inheritance)
        SignalForwarding.childStarted(processID)
        return processID
    }

    /// The status to exit with for a raw wait status: the command's own, or 128 plus the signal that killed it.
    static func exitCode(_ status: Int32) -> Int32 {
        let terminatingSignal = status & 0x7f
        return terminatingSignal == 0 ? (status >> 8) & 0xff : 128 + terminatingSignal
    }

    static func spawn(_ arguments: [String], environment: [String: String], inheritance: Inheritance) throws(LaunchError) -> pid_t {
        inheritance.closeOthersOnExec()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no signal blocked, whatever the spawning thread blocks, and dies of a broken pipe
        // as programs expect unless coffer was started ignoring SIGPIPE: coffer's networking ignores it, and an
        // ignored signal stays ignored across exec. (Signals coffer catches get default handling from exec itself.)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        if !inheritance.ignoresBrokenPipes { sigaddset(&defaults, SIGPIPE) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var processID = pid_t()
        let result = posix_spawnp(&processID, arguments[0], nil, &attributes, argv, envp)
        guard result == 0 else { throw LaunchError(command: arguments[0], reason: String(cString: strerror(result))) }
        return processID
    }

    /// The raw wait status. `waitpid` blocks, so it runs on a thread of its own rather than holding one of the few
    /// threads Swift concurrency has.
    static func waitForExit(of processID: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(processID, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
            .start()
        }
    }
}

/// The command could not be started (not found, not executable).
struct LaunchError: Error, CustomStringConvertible {
    let command: String
    let reason: String

    var description: String { "Cannot run '\(command)': \(reason)" }
}
