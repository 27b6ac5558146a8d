import CofferCrypto
import CofferStore
import Foundation

/// A file holding a master keyring, one base64 key per line, the primary first. Rewritten only atomically, so a
/// reader (a running server reloading it, or a restart after a crash) always sees either the old or the new ring.
public struct MasterKeyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Reads and parses the ring; errors name the file and the bad line, never key text.
    public func read() throws -> MasterKeyring {
        guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("Cannot read the master key file '\(path)'") }
        do {
            return try MasterKeyring(text: String(decoding: data, as: UTF8.self))
        } catch {
            throw StartupError("Cannot use the master key file '\(path)': \(error.message)")
        }
    }

    /// Fails unless the file's directory and the file (if present) can be written, before anything is changed.
    public func checkWritable() throws {
        let directory = (path as NSString).deletingLastPathComponent
        let existsButReadOnly = FileManager.default.fileExists(atPath: path) && access(path, W_OK) != 0
        guard access(directory.isEmpty ? "." : directory, W_OK) == 0, !existsButReadOnly else {
            throw StartupError("Cannot write the master key file '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces the file with `ring`: a temporary file in the same directory (mode 0600) is written and fsync'd, renamed
    /// over the file, and the directory is fsync'd so the rename itself survives a crash.
    public func write(_ ring: MasterKeyring) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        try Self.createPrivateFile(at: temporary, contents: ring.text)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StartupError("Cannot replace the master key file '\(path)': \(reason)")
        }
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { throw StartupError("Cannot open '\(directory)' to sync it: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StartupError("Cannot sync '\(directory)': \(String(cString: strerror(errno)))") }
    }

    /// Writes a new file readable by its owner only, failing rather than replacing an existing one, and fsyncs it.
    package static func createPrivateFile(at path: String, contents: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StartupError("Cannot create '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard writeAndSync(descriptor, Array(contents.utf8)) else {
            throw StartupError("Cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}

/// Outside the type, whose `write(_:)` would shadow the system call.
private func writeAndSync(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    write(descriptor, bytes, bytes.count) == bytes.count && fsync(descriptor) == 0
}
