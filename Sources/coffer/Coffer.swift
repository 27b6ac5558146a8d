import ArgumentParser

/// The `coffer` command: the server and, over time, the client verbs.
@main
struct Coffer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coffer",
        abstract: "A self-hosted secret-group service with a Northflank-compatible API.",
        version: "0.1.0",
        subcommands: [Serve.self]
    )
}
