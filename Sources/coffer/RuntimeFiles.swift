import CofferCore
import Foundation

/// The runtime files `coffer run` writes for its command: each under a root directory at its absolute path
/// (`/dir/fileName` becomes `ROOT/dir/fileName`), readable by the owner only, and removed when the command ends.
struct RuntimeFiles {
    /// Where the files go.
    let root: String
    /// Whether coffer made the root, and so removes it whole; a root the user gave keeps everything but our files.
    let ownsRoot: Bool
    private(set) var written: [String] = []
    private(set) var createdDirectories: [String] = []

    /// Files under `root`, or under a fresh private temporary directory when it is nil.
    init(root: String?) throws {
        if let root {
            self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
            ownsRoot = false
            return
        }
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("coffer-run-XXXXXX").utf8CString)
        // mkdtemp makes the directory with mode 0700.
        guard let made = mkdtemp(&template) else { throw CLIError("Cannot make a temporary directory: \(String(cString: strerror(errno)))") }
        self.root = String(cString: made)
        ownsRoot = true
    }

    /// Writes every file, making missing directories (mode 0700) on the way; files get mode 0600 and replace what was
    /// there. What was written before a failure is recorded, so `remove()` still cleans it up.
    mutating func write(_ files: [String: SecretFile]) throws {
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            let components = try Self.components(of: path)
            var directory = root
            for component in components.dropLast() {
                directory += "/" + component
                try makeDirectory(directory, for: path)
            }
            let target = directory + "/" + components[components.count - 1]
            try Self.replace(target, with: file.data, for: path)
            if !written.contains(target) { written.append(target) }
        }
    }

    /// Makes the files `files` (`coffer run --watch` after a change): each is written anew as `write` writes it, by
    /// renaming a complete file over the old one, so a reader sees the old file or the new, never a part; then the
    /// files written before that are no longer among them are removed.
    mutating func update(_ files: [String: SecretFile]) throws {
        try write(files)
        let current = Set(try files.keys.map { root + "/" + (try Self.components(of: $0)).joined(separator: "/") })
        for file in written where !current.contains(file) { unlink(file) }
        written.removeAll { !current.contains($0) }
    }

    /// Removes the files written and the directories made for them; the root too when coffer made it (with
    /// anything the command left in it). Failures are ignored: there is nothing better to do on the way out.
    func remove() {
        if ownsRoot {
            try? FileManager.default.removeItem(atPath: root)
            return
        }
        for file in written { unlink(file) }
        // Deepest first; a directory the command put something in is not empty, and stays.
        for directory in createdDirectories.reversed() { rmdir(directory) }
    }

    /// The path's segments below `/`. The server refuses relative paths and `..`, but a file must never land outside
    /// the root whatever a server sends, so they are checked again here.
    static func components(of path: String) throws -> [String] {
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
        guard path.hasPrefix("/"), !components.isEmpty, !components.contains(".."), !path.contains("\0") else {
            throw CLIError("Refusing the runtime file path '\(path)': it must be absolute, name a file and have no '..'")
        }
        return components
    }

    mutating func makeDirectory(_ directory: String, for path: String) throws {
        if mkdir(directory, 0o700) == 0 {
            createdDirectories.append(directory)
            return
        }
        let reason = errno
        var status = stat()
        guard reason == EEXIST, stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw CLIError(
                "Cannot make \(directory) for the runtime file '\(path)': \(String(cString: strerror(reason == EEXIST ? ENOTDIR : reason)))"
            )
        }
    }

    /// Writes `data` to a new private file beside `target` and renames it over `target`, so a symbolic link or an
    /// existing file there is replaced, never written through.
    static func replace(_ target: String, with data: Data, for path: String) throws {
        var template = Array((target + ".coffer-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)  // mode 0600
        guard descriptor >= 0 else { throw CLIError("Cannot write the runtime file '\(path)': \(String(cString: strerror(errno)))") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failure = errno
                    return
                }
                offset += count
            }
        }
        close(descriptor)
        if failure == 0, rename(temporary, target) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw CLIError("Cannot write the runtime file '\(path)': \(String(cString: strerror(failure)))")
        }
    }
}
