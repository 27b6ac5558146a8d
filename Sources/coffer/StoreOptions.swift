import ArgumentParser
import CofferServer
import CofferStore
import Foundation

/// The flags of commands that work on a server's store directly (`coffer token`, `coffer audit verify`): the data
/// directory and its master key, found the way `coffer serve` finds them. Safe while the server runs: SQLite's
/// write-ahead log lets both processes use the file.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data directory.")
    var dataDirectory = "./coffer-data"

    @Option(name: .customLong("master-key-file"), help: "The master key file (default: COFFER_MASTER_KEY, else DATA_DIR/master.key).")
    var masterKeyFile: String?

    /// Opens the existing store; never creates one (a typo in --data-dir must not make a new, empty store).
    func openStore(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SQLiteStore {
        let directory = try DataDirectory(existingPath: dataDirectory)
        var source = ServerConfiguration.MasterKeySource.dataDirectory
        if let masterKeyFile {
            source = .file(masterKeyFile)
        } else if let text = environment["COFFER_MASTER_KEY"], !text.isEmpty {
            source = .text(text)
        }
        let (keyring, reload, _) = try directory.keyring(from: source)
        return try SQLiteStore(path: directory.databasePath, keyring: keyring, reload: reload)
    }
}
