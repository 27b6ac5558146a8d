import Foundation
import Synchronization

/// A real `coffer serve` child process, with its output captured, for end-to-end tests of the binary.
final class ServerProcess: Sendable {
    let process: Process
    private let stdout = OutputBuffer()
    private let stderr = OutputBuffer()

    /// The `coffer` executable built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("coffer")
    }

    init(arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        var inherited = ProcessInfo.processInfo.environment
        inherited["COFFER_MASTER_KEY"] = nil
        inherited["COFFER_ADMIN_TOKEN"] = nil
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        self.process = process
        out.fileHandleForReading.readabilityHandler = { [stdout] in stdout.append($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { [stderr] in stderr.append($0.availableData) }
        try process.run()
    }

    var standardOutput: String { stdout.text }
    var standardError: String { stderr.text }

    /// Waits for the listening line and returns the port it names.
    func port(timeout: Duration = .seconds(20)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let range = standardError.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let match = standardError[range]
                if let port = Int(match.split(separator: ":").last ?? "") { return port }
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProcessError(message: "no listening line; stderr: \(standardError)")
    }

    /// Waits for the process to exit and returns its status.
    func exitStatus(timeout: Duration = .seconds(20)) async throws -> Int32 {
        try await process.waitForExit(timeout: timeout)
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    deinit {
        process.killIfRunning()
    }
}

struct ProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Text a child process has written so far, appended from the pipe's reader thread.
final class OutputBuffer: Sendable {
    private let buffer = Mutex("")

    func append(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        buffer.withLock { $0 += text }
    }

    var text: String { buffer.withLock { $0 } }
}
