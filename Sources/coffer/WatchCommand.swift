import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore
import Foundation

/// `coffer watch`: a project's change feed, one line per change, until interrupted.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print each change to a project as it happens, one line each, until interrupted.",
        discussion: """
            Each line is '<revision> <at> <action> <resourceType> <resourceId> [v<version>] keys: A, B' (key names, \
            never values); with -o json, the change as one JSON object. Without --since it starts with the next \
            change; with it, it first prints the changes after that revision (an error if the server no longer keeps \
            them: read the current state, then watch without --since). A dropped connection or a restarted server \
            is retried by itself, with a note on standard error once it is back, and nothing is lost or printed \
            twice. SIGINT or SIGTERM stop it with status 0.

            Example:
              coffer watch --projectId demo -o json
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("projectId"), help: "The project.") var projectId: String
    @Option(help: "Print the changes after this revision first (default: only those from now on).") var since: Int64?

    func validate() throws {
        if let since, since < 0 { throw ValidationError("--since must be a revision, 0 or more") }
        guard connection.chosenOutput == nil || connection.chosenOutput == .json else {
            throw ValidationError("coffer watch prints text lines or, with -o json, JSON lines")
        }
    }

    func run() async throws {
        try await reportingFailures { try await run(with: try connection.client()) }
    }

    func run(with client: APIClient) async throws {
        let verbose = connection.verbose
        let changes = client.watch.changes(projectId: projectId, teamId: connection.teamId, since: since) { event in
            if let note = Self.note(for: event, verbose: verbose) { FileHandle.standardError.write(Data("coffer: \(note)\n".utf8)) }
        }
        let json = connection.chosenOutput == .json
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await change in changes {
                    // One write per line, unbuffered: a reader of a pipe gets each line whole as soon as it happens.
                    FileHandle.standardOutput.write(Data((try Self.line(for: change, json: json) + "\n").utf8))
                }
            }
            group.addTask { _ = await StopSignals.next() }
            // Whichever ends first ends both: a signal stops the watch between lines; an error stops the waiting.
            try await group.next()
            group.cancelAll()
        }
    }

    /// One change as its line: text, or with `json` the change as one JSON object.
    static func line(for change: ChangeResource, json: Bool) throws -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(change), as: UTF8.self)
        }
        var words = [String(change.revision), change.at.rfc3339, change.action.rawValue, change.resourceType.rawValue, change.resourceId]
        if let version = change.version { words.append("v\(version)") }
        if !change.changedKeys.isEmpty { words.append("keys: " + change.changedKeys.joined(separator: ", ")) }
        return words.joined(separator: " ")
    }

    /// What standard error says of a watch event: reconnecting always, each failure only with `--verbose`.
    static func note(for event: ChangeWatch.Event, verbose: Bool) -> String? {
        switch event {
        case .started:
            return nil
        case .interrupted(let error, let attempt, let delay):
            guard verbose else { return nil }
            return "watch interrupted (attempt \(attempt)): \(error); retrying in \(delay.wholeMilliseconds) ms"
        case .resumed(let revision, let failures):
            return "reconnected after \(failures) failed attempt\(failures == 1 ? "" : "s"); watching after revision \(revision)"
        }
    }

}
