import ArgumentParser
import CofferClient
import Foundation

/// How every client command reaches the server and shows its answer.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("teamId"), help: "Use the team route form /v1/teams/<teamId>/... (default: the token's own team).")
    var teamId: String?

    @Option(name: .customLong("context"), help: "A saved context to use instead of the current one (see 'coffer context list').")
    var contextName: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: json (default), yaml, or table (lists).")
    var chosenOutput: OutputFormat?

    /// The output format: the one chosen, or JSON.
    var output: OutputFormat { chosenOutput ?? .json }

    @Flag(help: "Print each request's method, URL, status and duration to standard error (never the token or values).")
    var verbose = false

    @Flag(help: "Print nothing on success.")
    var quiet = false

    /// The server URL and token: `COFFER_URL`/`COFFER_TOKEN` (or `NORTHFLANK_API_BASE_URL`/`NORTHFLANK_API_TOKEN`)
    /// override the saved context.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> APIClient {
        let saved = try CLIConfiguration.load(environment: environment)
        let name = contextName ?? saved.current
        let context = saved.contexts.first { $0.name == name }
        if let contextName, context == nil { throw CLIError("No context named '\(contextName)'; 'coffer context list' shows the saved ones") }
        func value(_ keys: [String]) -> String? { keys.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }
        guard let url = value(["COFFER_URL", "NORTHFLANK_API_BASE_URL"]) ?? context?.url else {
            throw CLIError("No server configured: run 'coffer login --url URL --token TOKEN' or set COFFER_URL and COFFER_TOKEN")
        }
        guard let token = value(["COFFER_TOKEN", "NORTHFLANK_API_TOKEN"]) ?? context?.token else {
            throw CLIError("No token configured: run 'coffer login --url URL --token TOKEN' or set COFFER_TOKEN")
        }
        var configuration = ClientConfiguration(baseURL: url, token: token)
        if verbose {
            configuration.observer = { method, url, status, duration in
                let milliseconds = duration.wholeMilliseconds
                let outcome = status.map(String.init) ?? "no answer"
                FileHandle.standardError.write(Data("\(method) \(url) -> \(outcome) (\(milliseconds) ms)\n".utf8))
            }
        }
        return APIClient(configuration: configuration)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case yaml
    case table
}
