import Foundation

/// `coffer` run as the session leader on a pseudo-terminal of its own, so a test can press keys such as Ctrl-C and
/// have the terminal signal the foreground process group, as a user's does.
final class TerminalSession: Sendable {
    let terminal: Int32
    let processID: pid_t

    init(_ arguments: [String], environment: [String: String]) throws {
        // posix_openpt and friends are hidden from Swift behind _XOPEN_SOURCE, so the pseudo-terminal is made with the
        // Linux ioctls they use: TIOCSPTLCK (unlock) and TIOCGPTN (its number), as _IOW/_IOR('T', 0x31/0x30, int).
        terminal = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard terminal >= 0, ioctl(terminal, 0x4004_5431, &unlock) == 0, ioctl(terminal, 0x8004_5430, &number) == 0 else {
            throw ProcessError(message: "no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let path = "/dev/pts/\(number)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid, the terminal becomes the new session's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, path, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, terminal)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let newSession: Int32 = 0x80  // glibc's POSIX_SPAWN_SETSID, hidden from Swift behind _GNU_SOURCE
        posix_spawnattr_setflags(&attributes, Int16(newSession | POSIX_SPAWN_SETSIGDEF))
        let argv = ([ServerProcess.executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var processID = pid_t()
        let result = posix_spawn(&processID, ServerProcess.executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw ProcessError(message: "cannot start coffer: \(String(cString: strerror(result)))") }
        self.processID = processID
    }

    /// Types `text` at the terminal (`"\u{03}"` is Ctrl-C).
    func type(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(terminal, $0.baseAddress, $0.count - 1) }
    }

    /// Waits for coffer to exit and returns its exit status, draining what it writes to the terminal meanwhile.
    func exitStatus(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        let flags = fcntl(terminal, F_GETFL)
        _ = fcntl(terminal, F_SETFL, flags | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            _ = read(terminal, &buffer, buffer.count)
            var status: Int32 = 0
            if waitpid(processID, &status, WNOHANG) == processID {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProcessError(message: "still running")
    }

    deinit {
        var status: Int32 = 0
        if waitpid(processID, &status, WNOHANG) == 0 {
            kill(processID, SIGKILL)
            waitpid(processID, &status, 0)
        }
        close(terminal)
    }
}
