import ArgumentParser
import CofferCore
import CofferCrypto
import CofferServer
import CofferStore
import Foundation

/// `coffer keys`: rotates the master key and the data keys of a data directory, also while `coffer serve` runs on it.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Rotate the master key or the data keys, without stopping the server.",
        subcommands: [Rotate.self, RotateDataKeys.self]
    )

    /// Where the data and its keys are; shared by both subcommands.
    struct StoreOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "The data directory the server uses.")
        var dataDirectory = "./coffer-data"

        @Option(name: .customLong("master-key-file"), help: "The master key file (default: DATA_DIR/master.key).")
        var masterKeyFile: String?

        @Option(name: .customLong("batch-size"), help: "Rows changed per transaction; small batches keep a running server responsive.")
        var batchSize = SQLiteStore.defaultRotationBatchSize

        func validate() throws {
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        }

        var databasePath: String { dataDirectory + "/coffer.sqlite" }

        /// The key file in use: `--master-key-file`, else the data directory's, unless the server would take its key
        /// from `COFFER_MASTER_KEY` (which no command can rewrite) — then nil.
        func keyFile(environment: [String: String]) -> MasterKeyFile? {
            if let masterKeyFile { return MasterKeyFile(path: masterKeyFile) }
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

                Example:
                  openssl rand -base64 32 > new.key
                  coffer keys rotate --data-dir ./coffer-data --new-master-key-file new.key
                """
        )

        @OptionGroup var options: StoreOptions

        @Option(name: .customLong("new-master-key-file"), help: "File holding the new master key (base64 of 32 bytes).")
        var newMasterKeyFile: String?

        func run() async throws {
            try await reportingFailures {
                guard let keyFile = options.keyFile(environment: ProcessInfo.processInfo.environment) else {
                    throw CLIError(
                        "The master key comes from COFFER_MASTER_KEY, which cannot be rewritten; put it in a file and pass --master-key-file"
                    )
                }
                var rotation = MasterKeyRotation(databasePath: options.databasePath, keyFile: keyFile, newKey: try await newKey())
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

                Example:
                  coffer keys rotate-data-keys --data-dir ./coffer-data --project demo
                """
        )

        @OptionGroup var options: StoreOptions

        @Option(help: "Only this project (default: every project).")
        var project: String?

        @Option(help: "The project's team.")
        var team = Team.defaultTeamID

        func run() async throws {
            try await reportingFailures {
                let summaries = try await withStartupErrors {
                    let store = try openStore()
                    defer { try? store.close() }
                    return try await store.rotateDataKeys(in: project.map { ProjectScope(team: team, project: $0) }, batchSize: options.batchSize)
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

        /// The existing store, its keys found as `coffer serve` finds them.
        func openStore() throws -> SQLiteStore {
            let directory = try DataDirectory(existingPath: options.dataDirectory)
            let source = coffer.StoreOptions.masterKeySource(file: options.masterKeyFile, environment: ProcessInfo.processInfo.environment)
            let (keyring, reload, _) = try directory.keyring(from: source)
            return try SQLiteStore(path: directory.databasePath, keyring: keyring, reload: reload)
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
