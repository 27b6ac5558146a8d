import ArgumentParser
import CofferClient

/// `coffer create|get|list|delete project(s)`.
enum ProjectCommands {
    struct Create: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "project",
            abstract: "Create a project; its id derives from the name.",
            discussion: "Example:\n  coffer create project -i '{\"name\": \"Demo\"}'"
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions

        func run(with client: APIClient) async throws {
            try show(try await client.create.project(teamId: connection.teamId, data: try input.body()))
        }
    }

    struct Get: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "project", abstract: "Show a project.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try show(try await client.get.project(projectId: projectId, teamId: connection.teamId))
        }
    }

    struct List: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "projects", abstract: "List the team's projects.")
        @OptionGroup var connection: ConnectionOptions

        func run(with client: APIClient) async throws {
            try show(["projects": try await client.list.projects(teamId: connection.teamId)])
        }
    }

    struct Delete: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "project", abstract: "Delete a project and everything in it.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try await client.delete.project(projectId: projectId, teamId: connection.teamId)
            done("Deleted project '\(projectId)'")
        }
    }
}
