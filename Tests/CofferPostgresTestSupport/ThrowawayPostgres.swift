import CofferPostgres
import CofferStore
import Foundation
import Glibc

#if canImport(Glibc)
#endif

/// A PostgreSQL cluster of one test's own (`initdb` into a temporary directory, a free loopback port), which the test
/// may stop and start without disturbing any other test. As root it runs as the `postgres` user (initdb refuses root),
/// as `.ci/run` does.
public final class ThrowawayPostgres: Sendable {
    /// Where `initdb`, `pg_ctl` and `postgres` are: on PATH or in Debian's `/usr/lib/postgresql/<version>/bin`.
    public static let binaries: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var candidates = path.split(separator: ":").map(String.init)
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        candidates += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map { "\(debian)/\($0)/bin" }
        return candidates.first { directory in
            ["initdb", "pg_ctl", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }()

    /// What a skipped test says when the binaries are missing.
    public static let skipNote = "Throwaway PostgreSQL cluster tests skipped: no initdb/pg_ctl/postgres on PATH or in /usr/lib/postgresql/*/bin"

    public let directory: String
    public let port: Int
    public let user: String
    private let runAsOther: Bool

    /// The URL of the cluster's `postgres` database, over TCP without TLS.
    public var url: PostgresURL {
        try! PostgresURL("postgres://\(user)@127.0.0.1:\(port)/postgres?sslmode=disable")
    }

    /// Creates and starts a new cluster.
    public static func start() async throws -> ThrowawayPostgres {
        guard binaries != nil else { throw PostgresTestSetupError(message: skipNote) }
        let directory = NSTemporaryDirectory() + "coffer-pg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let isRoot = getuid() == 0
        var user = ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        if isRoot {
            user = getpwnam("postgres") != nil ? "postgres" : "nobody"
            try await run("/bin/chown", [user, directory], as: nil)
        }
        let cluster = ThrowawayPostgres(directory: directory, port: try freePort(), user: user, runAsOther: isRoot)
        try await cluster.tool("initdb", ["-D", "\(directory)/data", "-U", user, "--auth=trust", "--encoding=UTF8", "--no-locale"])
        try await cluster.startServer()
        return cluster
    }

    private init(directory: String, port: Int, user: String, runAsOther: Bool) {
        self.directory = directory
        self.port = port
        self.user = user
        self.runAsOther = runAsOther
    }

    /// Starts the server again after `stopServer()`, waiting until it accepts connections. `pg_ctl start` is not waited
    /// for: the server it leaves running inherits a descriptor by which Foundation tells that a child has exited, so
    /// the child would seem to run until the server stops. A TCP connection to its port says when it is up.
    public func startServer() async throws {
        let options = "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(directory) -c fsync=off"
        _ = try Self.launch(
            "\(Self.binaries ?? "")/pg_ctl",
            ["-D", "\(directory)/data", "-l", "\(directory)/postgres.log", "-o", options, "start"],
            as: runAsOther ? user : nil
        )
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PostgresTestSetupError(message: "the throwaway PostgreSQL cluster did not start within a minute")
    }

    /// Stops the server the way an operator restarting it would (`-m fast`: sessions are ended, nothing is lost).
    public func stopServer() async throws {
        try await tool("pg_ctl", ["-D", "\(directory)/data", "-w", "-m", "fast", "stop"])
    }

    /// Stops the server if it runs and deletes the cluster.
    public func destroy() async {
        try? await tool("pg_ctl", ["-D", "\(directory)/data", "-w", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func tool(_ name: String, _ arguments: [String]) async throws {
        try await Self.run("\(Self.binaries ?? "")/\(name)", arguments, as: runAsOther ? user : nil)
    }

    /// Starts a program (as `user` through runuser when given) with no output, without waiting for it.
    private static func launch(_ program: String, _ arguments: [String], as user: String?) throws -> Process {
        let process = command(program, arguments, as: user)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func command(_ program: String, _ arguments: [String], as user: String?) -> Process {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        return process
    }

    /// Runs a program to its end (as `user` through runuser when given); throws with its output if it fails.
    private static func run(_ program: String, _ arguments: [String], as user: String?) async throws {
        let process = command(program, arguments, as: user)
        // Output goes to a file, not a pipe: nothing has to read it while the program runs.
        let outputPath = NSTemporaryDirectory() + "coffer-pg-tool-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw PostgresTestSetupError(message: "\(program) \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    /// Whether something accepts TCP connections on this loopback port.
    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A loopback TCP port nothing listens on right now: one the system picked for a socket bound and closed here.
    private static func freePort() throws -> Int {
        try ClosedPort().port
    }
}
