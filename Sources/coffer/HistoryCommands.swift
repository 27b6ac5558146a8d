import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore

/// `coffer history|diff|rollback|restore secret` and `coffer restore project`: a group's recorded versions, and putting
/// a group or a whole project back as it was.
enum HistoryCommands {
    struct History: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "List every kept version of a secret group, newest first: when, by which token, what changed (key names, no values).",
            discussion: """
                Works for a deleted group while its history is kept (see 'coffer serve --keep-deleted'). With -o table, \
                one line per version, the current one marked.

                Example:
                  coffer history secret --projectId demo --secretId example-secret -o table
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String

        func run(with client: APIClient) async throws {
            var versions: [GroupVersionResource] = []
            let pages = client.list.secretVersions(projectId: projectId, teamId: connection.teamId, secretId: secretId)
            for try await version in pages { versions.append(version) }
            try show(GroupVersionList(versions: versions), table: Output.versionsTable)
        }
    }

    struct Diff: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Show what differs between two versions of a secret group: keys added, removed and changed, and other fields.",
            discussion: """
                Without --to, compares with the newest version; without --from, with the version before --to (0 is the \
                group before it existed). Key names only, unless --show-values (which needs the permission to read the \
                values of both versions). With -o table, lines '+ KEY', '- KEY' and '~ KEY' under each section.

                Example:
                  coffer diff secret --projectId demo --secretId example-secret --from 2 --to 4 -o table
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(help: "The older version (default: the one before --to).") var from: Int?
        @Option(help: "The newer version (default: the newest).") var to: Int?
        @Flag(name: .customLong("show-values"), help: "Show each changed entry's values before and after.") var showValues = false

        func validate() throws {
            if let from, from < 0 { throw ValidationError("--from must be 0 or more") }
            if let to, to < 0 { throw ValidationError("--to must be 0 or more") }
            if let from, let to, from > to { throw ValidationError("--from must not be greater than --to") }
        }

        func run(with client: APIClient) async throws {
            let diff = try await client.get.secretDiff(
                projectId: projectId,
                teamId: connection.teamId,
                secretId: secretId,
                from: from,
                to: to,
                showValues: showValues
            )
            try show(diff) { Output.diffText($0, secretId: secretId) }
        }
    }

    struct Rollback: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Put a secret group back as it was at an earlier version, recorded as a new version; prints the group.",
            discussion: """
                Rolling back to the content the group has already changes nothing. With --if-match, only if the \
                group's current version is that one (otherwise nothing changes and the command fails).

                Example:
                  coffer rollback secret --projectId demo --secretId example-secret --version 3 --if-match 5
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String
        @Option(help: "The version to go back to (see 'coffer history secret').") var version: Int
        @Option(name: .customLong("if-match"), help: "Only if this is the group's current version.") var ifMatch: Int?

        func validate() throws {
            guard version >= 1 else { throw ValidationError("--version must be 1 or more") }
            if let ifMatch, ifMatch < 1 { throw ValidationError("--if-match must be 1 or more") }
        }

        func run(with client: APIClient) async throws {
            try show(
                try await client.rollback.secret(
                    projectId: projectId,
                    teamId: connection.teamId,
                    secretId: secretId,
                    version: version,
                    ifMatch: ifMatch
                )
            )
        }
    }

    struct Restore: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Bring back a deleted secret group as its last version before the delete; prints the group.",
            discussion: """
                Fails if a group with that id exists. Works while the deleted group's history is kept (see \
                'coffer serve --keep-deleted').

                Example:
                  coffer restore secret --projectId demo --secretId example-secret
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("secretId"), help: "The group's id.") var secretId: String

        func run(with client: APIClient) async throws {
            try show(try await client.restore.secret(projectId: projectId, teamId: connection.teamId, secretId: secretId))
        }
    }

    struct RestoreProject: ClientCommand {
        static let configuration = CommandConfiguration(
            commandName: "project",
            abstract: "Put every secret group of a project back as it was at a moment, in one transaction; prints the plan.",
            discussion: """
                Groups deleted since come back, groups changed since go back, groups created since are deleted: all or \
                nothing, one new version per changed group. With --dry-run, prints the same plan and changes nothing. \
                The plan names keys, never values; with -o table, one line per group: action, id, its version now, at \
                the moment and the one the change records, and the keys and fields that change.

                Example:
                  coffer restore project --projectId demo --as-of 2026-11-28T17:00:00.000Z --dry-run -o table
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
        @Option(name: .customLong("as-of"), help: "The moment, as an RFC 3339 time such as 2026-11-28T17:00:00.000Z.") var asOf: String
        @Flag(name: .customLong("dry-run"), help: "Print what would change; change nothing.") var dryRun = false

        func validate() throws {
            _ = try HistoryCommands.moment(asOf)
        }

        func run(with client: APIClient) async throws {
            let moment = try HistoryCommands.moment(asOf)
            let plan = try await client.restore.project(projectId: projectId, teamId: connection.teamId, asOf: moment, dryRun: dryRun)
            try show(plan) { Output.restorePlanText($0, projectId: projectId) }
        }
    }

    /// `--as-of`'s text as a moment; the error names the flag and the form.
    static func moment(_ text: String) throws -> Timestamp {
        guard let moment = Timestamp(rfc3339: text) else {
            throw ValidationError("--as-of must be an RFC 3339 time such as 2026-11-28T17:00:00.000Z")
        }
        return moment
    }
}
