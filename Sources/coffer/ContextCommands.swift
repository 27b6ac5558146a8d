import ArgumentParser
import Foundation

/// `coffer login`: saves a server URL and token as a context and makes it current.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save a server and token as a context (in ~/.config/coffer/config.yaml, mode 0600) and use it.",
        discussion: "Example:\n  coffer login --url http://127.0.0.1:8080 --token coffer_... --name local"
    )

    @Option(help: "The server's base URL.") var url: String
    @Option(help: "An API token (shown once when it was created).") var token: String
    @Option(help: "The context's name.") var name = "default"

    func validate() throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ValidationError("--url must start with http:// or https://") }
        guard !token.isEmpty else { throw ValidationError("--token must not be empty") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            var configuration = try CLIConfiguration.load(environment: environment)
            configuration.upsert(.init(name: name, url: url, token: token))
            try configuration.save(environment: environment)
        } catch let error as CLIError {
            fail(error.message)
        }
        print("Logged in to \(url) as context '\(name)'")
    }
}

/// `coffer context list|use`.
struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "List the saved contexts or switch between them.",
        subcommands: [ListContexts.self, UseContext.self]
    )

    struct ListContexts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the saved contexts; '*' marks the current one.")

        func run() async throws {
            let configuration: CLIConfiguration
            do {
                configuration = try CLIConfiguration.load(environment: ProcessInfo.processInfo.environment)
            } catch let error as CLIError {
                fail(error.message)
            }
            guard !configuration.contexts.isEmpty else {
                print("No saved contexts; 'coffer login --url URL --token TOKEN' saves one")
                return
            }
            for context in configuration.contexts {
                print("\(context.name == configuration.current ? "*" : " ") \(context.name)  \(context.url)")
            }
        }
    }

    struct UseContext: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use", abstract: "Make a saved context the current one.")
        @Argument(help: "The context's name.") var name: String

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            do {
                var configuration = try CLIConfiguration.load(environment: environment)
                guard configuration.contexts.contains(where: { $0.name == name }) else {
                    throw CLIError("No context named '\(name)'; 'coffer context list' shows the saved ones")
                }
                configuration.current = name
                try configuration.save(environment: environment)
            } catch let error as CLIError {
                fail(error.message)
            }
            print("Using context '\(name)'")
        }
    }
}
