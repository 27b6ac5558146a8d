import CofferCrypto
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

    /// The master key from `source`. With `.dataDirectory`, a key is generated into `master.key` (mode 0600) only when
    /// the directory holds no database yet; `generated` says so, for the warning.
    public func masterKey(from source: ServerConfiguration.MasterKeySource) throws -> (key: MasterKey, generated: Bool) {
        switch source {
        case .text(let text):
            return (try Self.parse(text, origin: "COFFER_MASTER_KEY"), false)
        case .file(let file):
            return (try Self.parse(try Self.read(file), origin: "the master key file '\(file)'"), false)
        case .dataDirectory:
            if FileManager.default.fileExists(atPath: generatedMasterKeyPath) {
                return (try Self.parse(try Self.read(generatedMasterKeyPath), origin: "'\(generatedMasterKeyPath)'"), false)
            }
            guard !FileManager.default.fileExists(atPath: databasePath) else {
                throw StartupError(
                    "The data directory holds a database but no master key: pass --master-key-file or set COFFER_MASTER_KEY to the key it was created with"
                )
            }
            let key = MasterKey.generate()
            try Self.createPrivateFile(at: generatedMasterKeyPath, contents: key.base64 + "\n")
            return (key, true)
        }
    }

    static func parse(_ text: String, origin: String) throws -> MasterKey {
        do {
            return try MasterKey(base64: text)
        } catch {
            throw StartupError("Cannot use the master key from \(origin): \(error.message)")
        }
    }

    static func read(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else { throw StartupError("Cannot read the master key file '\(file)'") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a new file readable by its owner only, failing rather than replacing an existing one, and fsyncs it.
    static func createPrivateFile(at path: String, contents: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StartupError("Cannot create '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw StartupError("Cannot write '\(path)': \(String(cString: strerror(errno)))")
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
