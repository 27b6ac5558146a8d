import ArgumentParser
import CofferClient
import CofferCore

/// `coffer create|get|list|patch|delete service(s)` and the same for `job(s)`, with `get service runtime-environment`
/// and `build-arguments` (and `update` of both, which sets the workload's own values).
enum WorkloadCommands<Kind: WorkloadKindMarker> {
    struct Create: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Create a \(Kind.noun) with its tags, stage and own values.",
                discussion: "Example:\n  coffer create \(Kind.noun) --projectId demo -i '{\"name\": \"Web\", \"tags\": [\"edge\"]}'"
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            let data = try input.body()
            try show(
                Kind.kind == .service
                    ? try await client.create.service(projectId: projectId, teamId: connection.teamId, data: data)
                    : try await client.create.job(projectId: projectId, teamId: connection.teamId, data: data)
            )
        }
    }

    /// `get service`: the workload itself by default, or its effective configuration.
    struct Get: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Show a \(Kind.noun), or its effective runtime environment or build arguments.",
                subcommands: [Show.self, Effective<RuntimePhase>.self, Effective<BuildPhase>.self],
                defaultSubcommand: Show.self
            )
        }
    }

    struct Show: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "show", abstract: "Show the \(Kind.noun) with its own values (the default).")
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong(Kind.idOption), help: "The \(Kind.noun)'s id.") var id: String

        func run(with client: APIClient) async throws {
            try show(try await client.get.workload(projectId: projectId, teamId: connection.teamId, kind: Kind.kind, id: id))
        }
    }

    /// `get service runtime-environment` / `build-arguments`.
    struct Effective<Phase: PhaseMarker>: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Phase.noun,
                abstract: "Show the \(Kind.noun)'s effective \(Phase.noun.replacingOccurrences(of: "-", with: " ")) (merged from its groups).",
                discussion: """
                    Example:
                      coffer get \(Kind.noun) \(Phase.noun) --projectId demo --\(Kind.idOption) web --replace-templated-values
                      coffer get \(Kind.noun) \(Phase.noun) --projectId demo --\(Kind.idOption) web --details
                    """
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong(Kind.idOption), help: "The \(Kind.noun)'s id.") var id: String
        @Option(help: "this (own values), inherited (from groups) or all.") var show: Resolver.Scope?
        @Flag(help: "Substitute ${NAME} templates in values and text files.") var replaceTemplatedValues = false
        @Flag(help: "Explain every key: the winning value, where it comes from, what it overrides, and warnings.") var details = false

        func run(with client: APIClient) async throws {
            if details {
                try self.show(
                    try await client.get.effectiveValuesDetails(
                        projectId: projectId,
                        teamId: connection.teamId,
                        kind: Kind.kind,
                        id: id,
                        phase: Phase.phase
                    )
                )
            } else {
                try self.show(
                    try await client.get.effectiveValues(
                        projectId: projectId,
                        teamId: connection.teamId,
                        kind: Kind.kind,
                        id: id,
                        phase: Phase.phase,
                        show: show,
                        replaceTemplatedValues: replaceTemplatedValues
                    )
                )
            }
        }
    }

    struct List: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.noun + "s", abstract: "List a project's \(Kind.noun)s.")
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String

        func run(with client: APIClient) async throws {
            try show([Kind.noun + "s": try await client.list.workloads(projectId: projectId, teamId: connection.teamId, kind: Kind.kind)])
        }
    }

    struct Patch: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Change some fields of a \(Kind.noun) (tags, stageId, own values).",
                discussion: "Example:\n  coffer patch \(Kind.noun) --projectId demo --\(Kind.idOption) web -i '{\"stageId\": \"prod\"}'"
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong(Kind.idOption), help: "The \(Kind.noun)'s id.") var id: String

        func run(with client: APIClient) async throws {
            try show(
                try await client.patch.workload(projectId: projectId, teamId: connection.teamId, kind: Kind.kind, id: id, data: try input.body())
            )
        }
    }

    /// `update service runtime-environment|build-arguments`: sets the workload's own values of one phase.
    struct Update: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Kind.noun,
                abstract: "Set a \(Kind.noun)'s own runtime environment or build arguments.",
                subcommands: [SetOwn<RuntimePhase>.self, SetOwn<BuildPhase>.self]
            )
        }
    }

    struct SetOwn<Phase: PhaseMarker>: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: Phase.noun,
                abstract: "Set the \(Kind.noun)'s own \(Phase.noun.replacingOccurrences(of: "-", with: " ")); they override every group.",
                discussion:
                    "Example:\n  coffer update \(Kind.noun) \(Phase.noun) --projectId demo --\(Kind.idOption) web -i '{\"\(Phase.variablesMember)\": {\"PORT\": \"8080\"}}'"
            )
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var input: InputOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong(Kind.idOption), help: "The \(Kind.noun)'s id.") var id: String

        func run(with client: APIClient) async throws {
            try await client.update.effectiveValues(
                projectId: projectId,
                teamId: connection.teamId,
                kind: Kind.kind,
                id: id,
                phase: Phase.phase,
                data: try input.body()
            )
            done("Updated the \(Phase.noun.replacingOccurrences(of: "-", with: " ")) of \(Kind.noun) '\(id)'")
        }
    }

    struct Delete: ClientCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.noun, abstract: "Delete a \(Kind.noun).")
        }
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong(Kind.idOption), help: "The \(Kind.noun)'s id.") var id: String

        func run(with client: APIClient) async throws {
            try await client.delete.workload(projectId: projectId, teamId: connection.teamId, kind: Kind.kind, id: id)
            done("Deleted \(Kind.noun) '\(id)'")
        }
    }
}

/// Picks the runtime or build phase for the commands shared by both.
protocol PhaseMarker: Sendable {
    static var phase: CofferCore.Phase { get }
    static var noun: String { get }
    static var variablesMember: String { get }
}

enum RuntimePhase: PhaseMarker {
    static let phase = CofferCore.Phase.runtime
    static let noun = "runtime-environment"
    static let variablesMember = "runtimeEnvironment"
}

enum BuildPhase: PhaseMarker {
    static let phase = CofferCore.Phase.build
    static let noun = "build-arguments"
    static let variablesMember = "buildArguments"
}
