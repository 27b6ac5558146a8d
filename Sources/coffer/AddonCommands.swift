import ArgumentParser
import CofferClient

/// `coffer create|get|list|patch|delete addon(s)` and the same for `external-addon(s)`.
enum AddonCommands<Kind: AddonKindMarker> {
    struct Create: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Register a\(Kind.kind == .addon ? "n addon" : "n external addon") and its credentials.",
                discussion:
                    "Example:\n  coffer create \(Kind.noun) --projectId demo -i '{\"name\": \"Orders DB\", \"type\": \"postgresql\", \"credentials\": {\"HOST\": \"db\"}}'"
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            let data = try input.body()
            try show(
                Kind.kind == .addon
                    ? try await client.create.addon(projectId: projectId, teamId: connection.teamId, data: data)
                    : try await client.create.externalAddon(projectId: projectId, teamId: connection.teamId, data: data)
            )
        }
    }

    struct Get: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Show an \(Kind.noun.replacingOccurrences(of: "-", with: " ")) with its credentials."
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            try show(try await client.get.addon(projectId: projectId, teamId: connection.teamId, kind: Kind.kind, addonId: addonId))
        }
    }

    struct List: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.noun + "s", abstract: "List a project's \(Kind.noun.replacingOccurrences(of: "-", with: " "))s.")
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try show(["addons": try await client.list.addons(projectId: projectId, teamId: connection.teamId, kind: Kind.kind)])
        }
    }

    struct Patch: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Change an addon's type, version or credentials (every linking group sees new credentials at once).",
                discussion: "Example:\n  coffer patch \(Kind.noun) --projectId demo --addonId orders-db -i '{\"credentials\": {\"HOST\": \"db2\"}}'"
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            try show(
                try await client.patch.addon(
                    projectId: projectId,
                    teamId: connection.teamId,
                    kind: Kind.kind,
                    addonId: addonId,
                    data: try input.body()
                )
            )
        }
    }

    struct Delete: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.noun, abstract: "Delete an addon no group links.")
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            try await client.delete.addon(projectId: projectId, teamId: connection.teamId, kind: Kind.kind, addonId: addonId)
            done("Deleted \(Kind.noun) '\(addonId)'")
        }
    }
}
