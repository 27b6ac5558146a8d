import CofferCrypto
import CofferStore
import Foundation

/// Writes a backup file (layout: `BackupFile`) into `PATH.partial`, readable by its owner only, counting each line into
/// the checksum; `finish()` ends it with the checksum line and fsyncs it, and `commit()` renames it over PATH and fsyncs
/// the directory. So PATH only ever holds a whole backup: the last one until the new one is complete and checked.
package final class BackupFileWriter {
    package let path: String
    package var partialPath: String { path + ".partial" }
    private var descriptor: Int32
    private var checksum = ByteDigest()
    private var buffer = Data()
    private static let newline = Data([UInt8(ascii: "\n")])

    /// Starts `PATH.partial` afresh (one a killed run left is replaced). Refuses a PATH that exists and is not a backup,
    /// so that a mistyped `--to` never replaces a database or a key file.
    package init(path: String) throws {
        self.path = path
        if let existing = FileHandle(forReadingAtPath: path) {
            let start = (try? existing.read(upToCount: BackupHeader.magic.utf8.count + 1)) ?? nil
            try? existing.close()
            guard start == Data((BackupHeader.magic + " ").utf8) else {
                throw StoreError(.alreadyExists, "'\(path)' exists and is not a Coffer backup; back up to a new file (nothing was changed)")
            }
        }
        unlink(path + ".partial")
        descriptor = open(path + ".partial", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("create", path + ".partial") }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Adds one line (without its newline, which it must not contain).
    package func append(line: Data) throws {
        buffer.append(line)
        buffer.append(UInt8(ascii: "\n"))
        checksum.add(line)
        checksum.add(Self.newline)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Adds each row as its JSON line.
    package func append(_ rows: MigratedTable.Rows) throws {
        for row in rows { try append(line: try MigratedTable.jsonLine(row)) }
    }

    /// Writes the checksum line, then fsyncs and closes the partial file.
    package func finish() throws {
        buffer.append(Data((BackupFile.checksumPrefix + checksum.hex + "\n").utf8))
        try flush()
        guard fsync(descriptor) == 0 else { throw Self.failure("sync", partialPath) }
        close(descriptor)
        descriptor = -1
    }

    /// Puts the finished partial file in place of PATH, durably.
    package func commit() throws {
        guard rename(partialPath, path) == 0 else { throw Self.failure("rename into", path) }
        let directory = (path as NSString).deletingLastPathComponent
        let handle = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard handle >= 0 else { throw Self.failure("open", directory) }
        defer { close(handle) }
        guard fsync(handle) == 0 else { throw Self.failure("sync", directory) }
    }

    /// Removes the partial file; PATH is left as it was.
    package func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(partialPath)
    }

    private func flush() throws {
        let written = buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written else { throw Self.failure("write", partialPath) }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func failure(_ action: String, _ path: String) -> StoreError {
        StoreError(.invalidConfiguration, "Cannot \(action) '\(path)': \(String(cString: strerror(errno)))")
    }
}
