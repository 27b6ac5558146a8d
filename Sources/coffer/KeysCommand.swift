import ArgumentParser
import CofferCore
import CofferCrypto
import CofferRuntime
import CofferStore
import Foundation

/// `coffer keys`: rotates the master key and the data keys of a data directory or a PostgreSQL database, also while
/// `coffer serve` runs on it.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Rotate the master key or the data keys, without stopping the server.",
        subcommands: [Rotate.self, RotateDataKeys.self]
    )

    /// Where the data and its keys are, as for the other store commands, and the batch size; shared by both subcommands.
    struct RotationOptions: ParsableArguments {
        @OptionGroup var store: StoreOptions

        @Option(name: .customLong("batch-size"), help: "Rows changed per transaction; small batches keep a running server responsive.")
        var batchSize = defaultRotationBatchSize

        func validate() throws {
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        }

        var dataDirectory: String { store.dataDirectory ?? "./coffer-data" }

        /// The key file in use: `--master-key-file`, else the data directory's, unless the server would take its key
        /// from `COFFER_MASTER_KEY` (which no command can rewrite) or the store is a database (whose replicas' key file
        /// must be named) — then nil.
        func keyFile(environment: [String: String]) -> MasterKeyFile? {
            if let masterKeyFile = store.masterKeyFile { return MasterKeyFile(path: masterKeyFile) }
            if store.effectiveDatabaseURL(environment: environment) != nil { return nil }
            if let text = environment["COFFER_MASTER_KEY"], !text.isEmpty { return nil }
            return MasterKeyFile(path: dataDirectory + "/master.key")
        }
    }

    /// `coffer keys rotate`: re-wraps every data key under a new master key.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-wrap every data key under a new master key, while the server keeps serving.",
            discussion: """
                Writes the key file as the new key followed by the old ones (a running server re-reads it when it meets \
                a key it lacks), re-wraps the data keys in short transactions, then leaves only the new key in the file. \
                Killed at any point, every value stays readable with the key file as it was left; run the command again \
                without --new-master-key-file to finish. Prints key ids, never keys.

                On PostgreSQL (--database-url) pass the key file the replicas read with --master-key-file: each replica \
                re-reads it when it meets a key it lacks. A replica given its key some other way (COFFER_MASTER_KEY) \
                must be restarted with the new key followed by the old one before the rotation, and with the new key \
                alone after it.

                Examples:
                  openssl rand -base64 32 > new.key
                  coffer keys rotate --data-dir ./coffer-data --new-master-key-file new.key
                  coffer keys rotate --database-url postgres://coffer@db/coffer --master-key-file /etc/coffer/master.key \\
                    --new-master-key-file new.key
                """
        )

        @OptionGroup var options: RotationOptions

        @Option(name: .customLong("new-master-key-file"), help: "File holding the new master key (base64 of 32 bytes).")
        var newMasterKeyFile: String?

        func run() async throws {
            try await reportingFailures {
                let environment = ProcessInfo.processInfo.environment
                guard let keyFile = options.keyFile(environment: environment) else {
                    throw CLIError(
                        "The master key must come from a file this command can rewrite: pass --master-key-file (COFFER_MASTER_KEY cannot be rewritten)"
                    )
                }
                let database: MasterKeyRotation.Database = try options.store.database(environment: environment).map { .postgres($0) }
                    ?? .sqlite(path: options.dataDirectory + "/coffer.sqlite")
                var rotation = MasterKeyRotation(database: database, keyFile: keyFile, newKey: try await newKey())
                rotation.batchSize = options.batchSize
                let outcome = try await withStartupErrors { try await rotation.run() }
                print(Self.summary(outcome, keyFile: keyFile))
            }
        }

        func newKey() async throws -> MasterKey? {
            guard let newMasterKeyFile else { return nil }
            let ring = try await withStartupErrors { try MasterKeyFile(path: newMasterKeyFile).read() }
            guard ring.keys.count == 1 else { throw CLIError("The new master key file '\(newMasterKeyFile)' must hold exactly one key") }
            return ring.primary
        }

        static func summary(_ outcome: MasterKeyRotation.Outcome, keyFile: MasterKeyFile) -> String {
            let rewrap = outcome.rewrap
            var lines = [
                rewrap.didNothing
                    ? "Nothing to re-wrap: every data key is under master key \(rewrap.primaryKeyID)"
                    : "Re-wrapped \(rewrap.rewrapped) data keys: master key \(rewrap.previousKeyIDs.joined(separator: ", ")) -> \(rewrap.primaryKeyID)"
            ]
            if !outcome.droppedKeyIDs.isEmpty {
                lines.append("'\(keyFile.path)' now holds only master key \(rewrap.primaryKeyID)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `coffer keys rotate-data-keys`: re-encrypts every value under fresh data keys.
    struct RotateDataKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-data-keys",
            abstract: "Give each project a fresh data key and re-encrypt its values, while the server keeps serving.",
            discussion: """
                New writes use the new key at once; values are re-sealed in short transactions with their versions (and \
                ETags) unchanged, then unused keys are deleted. Killed midway, every value stays readable; run it again \
                (or start the server) to finish.

                Examples:
                  coffer keys rotate-data-keys --data-dir ./coffer-data --project demo
                  coffer keys rotate-data-keys --database-url postgres://coffer@db/coffer --master-key-file /etc/coffer/master.key
                """
        )

        @OptionGroup var options: RotationOptions

        @Option(help: "Only this project (default: every project).")
        var project: String?

        @Option(help: "The project's team.")
        var team = Team.defaultTeamID

        func run() async throws {
            try await reportingFailures {
                let scope = project.map { ProjectScope(team: team, project: $0) }
                let batchSize = options.batchSize
                let summaries = try await withStartupErrors {
                    try await options.store.withStore { store in try await store.rotateDataKeys(in: scope, batchSize: batchSize) }
                }
                for summary in summaries {
                    print(
                        "\(summary.scope.teamId)/\(summary.scope.projectId): data key generation \(summary.generation), "
                            + "\(summary.resealed) values re-sealed, \(summary.deletedKeys) old keys deleted"
                    )
                }
                if summaries.isEmpty { print("No projects") }
            }
        }
    }
}

/// Runs `body`, turning the library's one-sentence errors (startup, store, crypto) into `CLIError`s.
private func withStartupErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StartupError {
        throw CLIError(error.message)
    } catch let error as StoreError {
        throw CLIError(error.message)
    } catch let error as CryptoError {
        throw CLIError("Cannot use the master key: \(error.message)")
    }
}
