import ArgumentParser
import CofferClient
import CofferCore
import Foundation

/// `coffer export`: a workload's resolved runtime variables, or a secret group's variables, as a dotenv, JSON or
/// YAML document on standard output.
struct ExportCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a workload's resolved runtime variables, or a secret group's variables, as dotenv, JSON or YAML.",
        discussion: """
            For a service or job: its runtime environment with templates substituted. For a secret group: its \
            variables with inherited addon values (show=all). Files are not exported.

            Example:
              coffer export --projectId demo --service api --format dotenv > .env
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dotenv
        case json
        case yaml
    }

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
    @Option(help: "A service: export its resolved runtime environment.") var service: String?
    @Option(help: "A job: export its resolved runtime environment.") var job: String?
    @Option(help: "A secret group's id: export its variables.") var secret: String?
    @Option(help: "dotenv, json or yaml.") var format: Format = .dotenv

    func validate() throws {
        guard [service, job, secret].compactMap(\.self).count == 1 else { throw ValidationError("Give exactly one of --service, --job or --secret") }
    }

    func run(with client: APIClient) async throws {
        let variables: [String: String]
        if let secret {
            variables = try await client.get.secret(projectId: projectId, teamId: connection.teamId, secretId: secret, show: .all).secrets.variables
        } else {
            let (kind, id) = service.map { (WorkloadKind.service, $0) } ?? (.job, job ?? "")
            variables = try await client.get.effectiveValues(
                projectId: projectId,
                teamId: connection.teamId,
                kind: kind,
                id: id,
                phase: .runtime,
                replaceTemplatedValues: true
            )
            .variables
        }
        // Printed even with --quiet: the document is what was asked for.
        print(try Self.render(variables, as: format), terminator: "")
    }

    /// The document, ending in a newline unless empty.
    static func render(_ variables: [String: String], as format: Format) throws -> String {
        switch format {
        case .dotenv: Dotenv.format(variables)
        case .json: try Output.render(variables, as: .json) + "\n"
        case .yaml: try Output.render(variables, as: .yaml) + "\n"
        }
    }
}
