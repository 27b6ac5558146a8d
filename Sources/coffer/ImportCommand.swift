import ArgumentParser
import CofferClient
import CofferCore
import Foundation

/// `coffer import`: creates Coffer resources from files in other formats.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create resources from files in other formats.",
        subcommands: [Secret.self]
    )

    /// `coffer import secret`: a secret group holding the variables of a dotenv file.
    struct Secret: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Create a secret group from a dotenv file, or replace the one whose name derives to the same id.",
            discussion: """
                Reads KEY=value lines (also 'export KEY=value'), # comments, blank lines, 'single-quoted' literal \
                values and "double-quoted" values with \\n \\" \\\\ escapes; the group holds exactly these variables.

                Example:
                  coffer import secret --projectId demo --name App --dotenv .env --priority 10
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(help: "The group's name (its id derives from it).") var name: String
        @Option(help: "The dotenv file to read ('-' for standard input).") var dotenv: String
        @Option(help: "The group's priority: higher wins where groups define the same key.") var priority = 0
        @Option(name: .customLong("secret-type"), help: "environment, arguments or environment-arguments.") var secretType: SecretType = .environment
        @Option(help: "secret or config (default: the server's).") var type: GroupType?

        /// The `PUT /secrets` body.
        struct Body: Encodable {
            struct Secrets: Encodable {
                var variables: [String: String]
            }

            var name: String
            var type: GroupType?
            var secretType: SecretType
            var priority: Int
            var secrets: Secrets
        }

        func run(with client: APIClient) async throws {
            let body = Body(name: name, type: type, secretType: secretType, priority: priority, secrets: .init(variables: try variables()))
            try show(try await client.put.secret(projectId: projectId, teamId: connection.teamId, data: try JSONBody(encoding: body)))
        }

        /// The file's variables; a malformed line is named by number, never quoted.
        func variables() throws -> [String: String] {
            let data = dotenv == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: dotenv)
            guard let data else { throw CLIError("Cannot read '\(dotenv)'") }
            guard let text = String(validating: data, as: UTF8.self) else { throw CLIError("'\(dotenv)' is not UTF-8 text") }
            do {
                return try Dotenv.parse(text)
            } catch {
                throw CLIError("\(dotenv == "-" ? "standard input" : dotenv), \(error)")
            }
        }
    }
}

extension SecretType: ExpressibleByArgument {}
extension GroupType: ExpressibleByArgument {}
