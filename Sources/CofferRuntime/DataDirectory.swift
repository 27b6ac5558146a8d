import CofferCrypto
import CofferServer
import CofferStore
import Foundation

/// The server's data directory: the SQLite database and, unless the key is supplied from outside, the master key.
public struct DataDirectory: Sendable {
    /// Absolute path of the directory.
    public let path: String

    /// Opens the directory, creating it (mode 0700) if missing.
    public init(path: String) throws {
        try self.init(path: path, creating: true)
    }

    private init(path: String, creating: Bool) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: self.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StartupError("The data directory '\(self.path)' exists and is not a directory") }
        } else if !creating {
            throw StartupError("The data directory '\(self.path)' does not exist")
        } else {
            try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Opens a directory that must already hold a database (for commands that work on an existing store).
    public init(existingPath path: String) throws {
        let directory = try DataDirectory(path: path, creating: false)
        guard FileManager.default.fileExists(atPath: directory.databasePath) else {
            throw StartupError("There is no Coffer database in '\(directory.path)'; pass the server's --data-dir")
        }
        self = directory
    }

    public var databasePath: String { path + "/coffer.sqlite" }
    public var generatedMasterKeyPath: String { path + "/master.key" }

    /// The master keys from `source`, with a closure that re-reads them when they come from a file (so a running server
    /// picks up a rotated key). With `.dataDirectory`, a key is generated into `master.key` (mode 0600) only when the
    /// directory holds no database yet; `generated` says so, for the warning.
    public func keyring(
        from source: ServerConfiguration.MasterKeySource
    ) throws -> (keyring: MasterKeyring, reload: (@Sendable () throws -> MasterKeyring)?, generated: Bool) {
        switch source {
        case .text(let text):
            return (try Self.parse(text, origin: "COFFER_MASTER_KEY"), nil, false)
        case .file(let file):
            let keyFile = MasterKeyFile(path: file)
            return (try keyFile.read(), keyFile.read, false)
        case .dataDirectory:
            let keyFile = MasterKeyFile(path: generatedMasterKeyPath)
            if FileManager.default.fileExists(atPath: generatedMasterKeyPath) {
                return (try keyFile.read(), keyFile.read, false)
            }
            guard !FileManager.default.fileExists(atPath: databasePath) else {
                throw StartupError(
                    "The data directory holds a database but no master key: pass --master-key-file or set COFFER_MASTER_KEY to the key it was created with"
                )
            }
            let key = MasterKey.generate()
            try MasterKeyFile.createPrivateFile(at: generatedMasterKeyPath, contents: key.base64 + "\n")
            return (MasterKeyring(primary: key), keyFile.read, true)
        }
    }

    package static func parse(_ text: String, origin: String) throws -> MasterKeyring {
        do {
            return try MasterKeyring(text: text)
        } catch {
            throw StartupError("Cannot use the master key from \(origin): \(error.message)")
        }
    }
}

/// Why the server cannot start, as one sentence for the operator.
public struct StartupError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
