import ArgumentParser
import CofferClient
import Foundation

/// What every client command shares: options to reach the server, and turning failures into one line on stderr.
protocol ClientCommand: AsyncParsableCommand {
    var connection: ConnectionOptions { get }
    /// The command's work, given a client.
    func run(with client: APIClient) async throws
}

extension ClientCommand {
    func run() async throws {
        try await reportingFailures { try await run(with: try connection.client()) }
    }

    /// Prints `value` in the chosen format unless `--quiet`.
    func show(_ value: some Encodable) throws {
        try Output.print(value, as: connection.output, quiet: connection.quiet)
    }

    /// Prints `value` as JSON or YAML, or for `-o table` the text `table` makes of it, unless `--quiet`.
    func show<Value: Encodable>(_ value: Value, table: (Value) -> String) throws {
        guard !connection.quiet else { return }
        if connection.output == .table { print(table(value)) } else { try show(value) }
    }

    /// Says `done` unless `--quiet` (for calls whose answer is empty).
    func done(_ message: String) {
        if !connection.quiet { print(message) }
    }
}

/// Runs `body`, turning an error answer, an unreachable server or a CLI mistake into one line on standard error and
/// exit status 1; other errors (such as `ExitCode`) pass through.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as APIClientError {
        fail("\(error)")
    } catch let error as TransportError {
        fail(error.message)
    } catch let error as CLIError {
        fail(error.message)
    }
}

/// Exits with status 1 after one line on standard error.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("coffer: error: \(message)\n".utf8))
    exit(1)
}
