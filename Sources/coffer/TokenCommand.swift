import ArgumentParser
import CofferAPI
import CofferCore
import CofferRuntime
import CofferServer
import CofferStore
import Foundation

/// `coffer token create|list|revoke`: tokens managed on the server's store itself, for bootstrap and recovery (for
/// example when every admin token is lost). Admins can do the same over HTTP with `/v1/tokens`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens on the server's store (run on the server's machine).",
        discussion: "Roles: " + Role.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ") + ".",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its text, once, on standard output.",
            discussion: """
                Examples:
                  coffer token create --name ci-deploy --role developer --project demo --expires-in 90d
                  coffer token create --name api-runtime --role workload --project demo --service api
                  coffer token create --database-url postgres://coffer@db:5432/coffer --master-key-file key --name ops --role admin
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: "A name for the token (3-100 letters, digits, spaces or hyphens).")
        var name: String

        @Option(help: "One of: \(Role.all.map(\.name).joined(separator: ", ")).")
        var role: String

        @Option(name: .customLong("project"), help: "Limit the token to this project (repeatable); with --service or --job, the workload's project.")
        var projects: [String] = []

        @Option(help: "The service a workload token reads (needs one --project).")
        var service: String?

        @Option(help: "The job a workload token reads (needs one --project).")
        var job: String?

        @Option(name: .customLong("expires-in"), help: "Lifetime such as 12h, 30d or 52w (default: no expiry).")
        var expiresIn: String?

        @Option(help: "The team (default: the default team).")
        var team = Team.defaultTeamID

        func validate() throws {
            if service != nil, job != nil { throw ValidationError("Pass --service or --job, not both") }
            if service != nil || job != nil, projects.count != 1 { throw ValidationError("--service and --job need exactly one --project") }
            if let expiresIn, Self.duration(expiresIn) == nil {
                throw ValidationError("--expires-in must be a number followed by m, h, d or w, such as 30d")
            }
        }

        func run() async throws {
            try await reportingStoreFailures {
                let now = Timestamp.now()
                guard let role = Role.builtIn[role] else {
                    throw CLIError("--role must be one of: \(Role.all.map(\.name).joined(separator: ", "))")
                }
                var definition = TokenDefinition(name: name, role: role, projectIds: projects.isEmpty ? nil : projects)
                if let id = service ?? job {
                    definition.workload = WorkloadReference(projectId: projects[0], kind: service != nil ? .service : .job, id: id)
                    definition.projectIds = nil
                }
                definition.expiresAt = expiresIn.flatMap(Self.duration).map { Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + $0) }
                let (token, secret) = try await store.withStore { store in
                    try await TokenIssuer(store: store).issue(definition, team: team, at: now)
                }
                FileHandle.standardError.write(Data("Created token \(token.id) (\(token.roleName)); it is shown once:\n".utf8))
                print(secret)
            }
        }

        /// Milliseconds in `12h`, `30d`, `52w` or `90m`.
        static func duration(_ text: String) -> Int64? {
            guard let unit = text.last, let count = Int64(text.dropLast()), count > 0 else { return nil }
            let minute: Int64 = 60_000
            switch unit {
            case "m": return count * minute
            case "h": return count * 60 * minute
            case "d": return count * 24 * 60 * minute
            case "w": return count * 7 * 24 * 60 * minute
            default: return nil
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the team's tokens (never their text).")

        @OptionGroup var store: StoreOptions

        @Option(help: "The team (default: the default team).")
        var team = Team.defaultTeamID

        @Option(name: [.customShort("o"), .customLong("output")], help: "json, yaml or table.")
        var output: OutputFormat = .table

        func run() async throws {
            try await reportingStoreFailures {
                let now = Timestamp.now()
                let tokens = try await store.withStore { store in try await store.tokens(team: team) }.map { TokenResource($0, at: now) }
                try Output.print(TokenList(tokens: tokens), as: output, quiet: false)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token: it stops working at once and stays listed as revoked.",
            discussion: "Example:\n  coffer token revoke tok-3f9c2a1b0d4e5f60"
        )

        @OptionGroup var store: StoreOptions

        @Argument(help: "The token's id (from 'coffer token list').")
        var id: String

        @Option(help: "The team (default: the default team).")
        var team = Team.defaultTeamID

        func run() async throws {
            try await reportingStoreFailures {
                guard try await store.withStore({ store in try await store.revokeToken(id: id, team: team, at: .now()) }) != nil else {
                    throw CLIError("Token '\(id)' not found in team '\(team)'")
                }
                print("Revoked \(id)")
            }
        }
    }
}

/// Like `reportingFailures`, for commands that open the store: its errors become one line on stderr and exit 1.
func reportingStoreFailures(_ body: () async throws -> Void) async throws {
    do {
        try await reportingFailures(body)
    } catch let error as StartupError {
        fail(error.message)
    } catch let error as StoreError {
        fail(error.message)
    } catch let error as CofferCore.ValidationError {
        fail(error.issues.map { "\($0.path): \($0.messages.joined(separator: "; "))" }.joined(separator: "; "))
    }
}
