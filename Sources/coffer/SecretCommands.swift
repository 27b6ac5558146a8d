import ArgumentParser
import CofferClient
import CofferCore

/// `coffer put|create|get|list|patch|update|delete secret` and `secret-link`: the reference CLI's verbs.
enum SecretCommands {
    struct Put: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Create a secret group, or replace the one whose name derives to the same id.",
            discussion: """
                Example:
                  coffer put secret --projectId demo -f put-secret.request.json
                  coffer put secret --projectId demo -i '{"name": "App", "secretType": "environment", "priority": 10}'
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try show(try await client.put.secret(projectId: projectId, teamId: connection.teamId, data: try input.body()))
        }
    }

    struct Create: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Create a secret group; fails if its derived id exists.",
            discussion: "Example:\n  coffer create secret --projectId demo -f group.yaml"
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try show(try await client.create.secret(projectId: projectId, teamId: connection.teamId, data: try input.body()))
        }
    }

    struct Get: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Show a secret group with its values.",
            discussion: "Example:\n  coffer get secret --projectId demo --secretId example-secret -o yaml"
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(help: "this (own values), inherited (from linked addons) or all.") var show: Resolver.Scope?
        @Flag(help: "Show the linked addons' contributions and warnings too.") var details = false

        func run(with client: APIClient) async throws {
            if details {
                try self.show(try await client.get.secretDetails(projectId: projectId, teamId: connection.teamId, secretId: secretId))
            } else {
                try self.show(try await client.get.secret(projectId: projectId, teamId: connection.teamId, secretId: secretId, show: show))
            }
        }
    }

    struct List: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secrets",
            abstract: "List every secret group of a project (no values).",
            discussion: """
                With --as-of, lists the groups that existed at that moment, as they were then.

                Example:
                  coffer list secrets --projectId demo -o table
                  coffer list secrets --projectId demo --as-of 2026-11-28T17:00:00.000Z
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("as-of"), help: "List the groups as they were at this RFC 3339 time instead.") var asOf: String?

        func validate() throws {
            if let asOf { _ = try HistoryCommands.moment(asOf) }
        }

        func run(with client: APIClient) async throws {
            let moment = try asOf.map(HistoryCommands.moment)
            var secrets: [SecretGroupSummary] = []
            for try await summary in client.list.secrets(projectId: projectId, teamId: connection.teamId, asOf: moment) { secrets.append(summary) }
            try show(["secrets": secrets])
        }
    }

    struct Patch: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Change some fields of a secret group; each present sub-map of secrets replaces that sub-map.",
            discussion: "Example:\n  coffer patch secret --projectId demo --secretId example-secret -i '{\"priority\": 20}'"
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String

        func run(with client: APIClient) async throws {
            try show(try await client.patch.secret(projectId: projectId, teamId: connection.teamId, secretId: secretId, data: try input.body()))
        }
    }

    struct Update: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Update a secret group (as patch, without tags and stageId).",
            discussion: "Example:\n  coffer update secret --projectId demo --secretId example-secret -f changes.json"
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String

        func run(with client: APIClient) async throws {
            try await client.update.secret(projectId: projectId, teamId: connection.teamId, secretId: secretId, data: try input.body())
            done("Updated secret '\(secretId)'")
        }
    }

    struct Delete: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "secret", abstract: "Delete a secret group.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String

        func run(with client: APIClient) async throws {
            try await client.delete.secret(projectId: projectId, teamId: connection.teamId, secretId: secretId)
            done("Deleted secret '\(secretId)'")
        }
    }
}

extension Resolver.Scope: ExpressibleByArgument {}

/// `coffer get|update|delete secret-link`.
enum SecretLinkCommands {
    struct Get: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "secret-link", abstract: "Show how a secret group links an addon.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            try show(try await client.get.secretLink(projectId: projectId, teamId: connection.teamId, secretId: secretId, addonId: addonId))
        }
    }

    struct Update: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret-link",
            abstract: "Link an addon's keys to a secret group (replacing the link's keys).",
            discussion:
                "Example:\n  coffer update secret-link --projectId demo --secretId app --addonId db -i '{\"keys\": [{\"keyName\": \"HOST\"}]}'"
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            let keys = try await client.update.secretLink(
                projectId: projectId,
                teamId: connection.teamId,
                secretId: secretId,
                addonId: addonId,
                data: try input.body()
            )
            try show(keys)
        }
    }

    struct Delete: ClientCommand {
        static let configuration = CommandConfiguration(commandName: "secret-link", abstract: "Remove a secret group's link to an addon.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(name: .customLong("addonId"), help: "The addon's id.") var addonId: String

        func run(with client: APIClient) async throws {
            try await client.delete.secretLink(projectId: projectId, teamId: connection.teamId, secretId: secretId, addonId: addonId)
            done("Unlinked addon '\(addonId)' from secret '\(secretId)'")
        }
    }
}
