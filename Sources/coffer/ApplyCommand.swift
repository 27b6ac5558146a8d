import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore
import Foundation

/// `coffer apply`: makes a project's secret groups match definition files, as one change set.
struct ApplyCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make a project's secret groups match definition files (YAML or JSON), in one transaction; prints the plan.",
        discussion: """
            Each file holds one secret group definition (the body of 'coffer put secret') or a list of them; a \
            directory stands for every *.yaml, *.yml and *.json file in it and in its subdirectories, sorted by \
            path (hidden files and directories skipped). Every definition becomes one put of a single change set: \
            all are applied, or none is. With --prune, every other group of the project is deleted; without it, \
            groups the files do not name are left alone. Two definitions of one group (names deriving the same id) \
            are an error.

            '${env:NAME}' in any string value is replaced by the environment variable NAME (set, even if empty), so \
            definitions can live in git without their values; '$${env:NAME}' stands for the text '${env:NAME}'. A \
            variable that is not set is an error naming the file and the key, and nothing is sent.

            The plan lists, per service and job and phase whose configuration changes, '+ KEY (from group)', \
            '~ KEY (from group, was other)', '- KEY (was group)' and '> KEY moved from a to b', then warnings and a \
            summary line: key names, never values. This text is the default output here; -o json (or yaml) prints \
            the server's answer instead.

            Exit status (as 'terraform plan -detailed-exitcode'): 0 on success; with --dry-run, 0 when nothing would \
            change and 2 when something would; 1 on an error (a file, a variable, the server's answer), after the \
            server's message and the problem of each field; 64 for a mistake in the arguments.

            Example:
              coffer apply --projectId demo -f groups/ --prune --dry-run
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var definitions: DefinitionOptions
    @Flag(name: .customLong("dry-run"), help: "Print what would change; change nothing (exit status 2 if something would).") var dryRun = false

    func run(with client: APIClient) async throws {
        try await definitions.apply(with: client, connection: connection, dryRun: dryRun)
    }

    /// `coffer diff project`: `coffer apply --dry-run` under the verb a reader looks for.
    struct DiffProject: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "project",
            abstract: "Show what 'coffer apply' would change in a project's secret groups; change nothing.",
            discussion: """
                The same files, --prune, plan and output as 'coffer apply --dry-run' (see 'coffer apply --help'): exit \
                status 0 when the project matches the files, 2 when it does not, 1 on an error.

                Example:
                  coffer diff project --projectId demo -f groups/
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var definitions: DefinitionOptions

        func run(with client: APIClient) async throws {
            try await definitions.apply(with: client, connection: connection, dryRun: true)
        }
    }
}

/// The project and definition files of `coffer apply` and `coffer diff project`, and the change set they make.
struct DefinitionOptions: ParsableArguments {
    @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
    @Option(
        name: [.customShort("f"), .customLong("file")],
        help: "A definition file, or a directory of them; repeat for more ('-' for standard input)."
    )
    var files: [String] = []
    @Flag(help: "Also delete every group of the project that the files do not define.") var prune = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give the definitions with -f FILE or -f DIRECTORY") }
    }

    /// Reads the files, sends them as one change set and prints its plan; exit status 2 for a dry run that would
    /// change something.
    func apply(with client: APIClient, connection: ConnectionOptions, dryRun: Bool) async throws {
        let sources = try GroupDefinitionFiles.load(files, environment: ProcessInfo.processInfo.environment)
        var operations = sources.map {
            ChangeSetEntry(operation: .object([("op", .string("put")), ("body", $0.body)]), about: "the definition in \($0.location)")
        }
        if prune {
            let named = Set(sources.map(\.id))
            // Summaries carry no version, so a delete cannot demand one: it deletes whatever the group is by then.
            for try await group in client.list.secrets(projectId: projectId, teamId: connection.teamId) where !named.contains(group.id) {
                let delete = JSONValue.object([("op", .string("delete")), ("secretId", .string(group.id))])
                operations.append(ChangeSetEntry(operation: delete, about: "the delete of '\(group.id)' (--prune)"))
            }
        }
        guard operations.count <= ChangeSetRequest.maximumOperations else {
            throw CLIError("\(operations.count) operations are more than one change set holds (\(ChangeSetRequest.maximumOperations))")
        }
        let body = JSONValue.object([("operations", .array(operations.map(\.operation))), ("dryRun", .bool(dryRun))])
        let answer: ChangeSetResource
        do {
            answer = try await client.create.changeSet(projectId: projectId, teamId: connection.teamId, data: JSONBody(body.jsonText))
        } catch let error as APIClientError {
            throw CLIError(ChangeSetEntry.explaining(error, operations))
        }
        if !connection.quiet {
            switch connection.chosenOutput {
            case .json?, .yaml?: try Output.print(answer, as: connection.output, quiet: false)
            case .table?, nil: print(Output.changeSetText(answer))
            }
        }
        if dryRun && !answer.changedSecrets.isEmpty { throw ExitCode(2) }
    }
}

/// One operation of the change set and what it comes from, to name in an error.
struct ChangeSetEntry {
    var operation: JSONValue
    /// `the definition in groups/all.yaml[2]` or `the delete of 'old' (--prune)`.
    var about: String

    /// The server's message and details, and for every `operations[i]` they name, what that operation is.
    static func explaining(_ error: APIClientError, _ entries: [ChangeSetEntry]) -> String {
        let indexes = Set(
            error.details.keys.compactMap { key -> Int? in
                guard key.hasPrefix("operations["), let end = key.firstIndex(of: "]") else { return nil }
                return Int(key[key.index(key.startIndex, offsetBy: "operations[".count)..<end])
            }
        )
        let named = indexes.sorted().filter(entries.indices.contains).map { "operations[\($0)] is \(entries[$0].about)" }
        return named.isEmpty ? "\(error)" : "\(error) (\(named.joined(separator: "; ")))"
    }
}
