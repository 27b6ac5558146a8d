import CofferStore
import Foundation

/// What a backup file says about itself on its first line, after the magic and the format version: where and when it
/// was taken, which master keys wrap its data keys (their ids: an id names a key, it is not one) and, per table, the
/// columns, row count and digest of the rows that follow.
package struct BackupHeader: Codable, Sendable, Equatable {
    /// One table, in the order its rows follow the header.
    package struct Table: Codable, Sendable, Equatable {
        package var name: String
        package var columns: [String]
        package var rows: Int
        /// Hex SHA-256 over the rows (see `ContentDigest`), as `coffer migrate` prints it.
        package var digest: String
    }

    /// The first word of every backup file.
    package static let magic = "coffer-backup"
    /// The layout this version writes and reads; a reader refuses any other.
    package static let format = 1

    /// When the snapshot was taken (RFC 3339, UTC).
    package var createdAt: String
    /// The kind of store it was taken from: `sqlite` or `postgres`.
    package var source: String
    /// The last schema migration the source had applied (each kind names its own).
    package var sourceSchema: String
    /// The ids of the master keys that wrap the data keys and the check value.
    package var masterKeyIds: [String]
    package var tables: [Table]

    /// The header line: magic, format and the JSON header (keys sorted, so the same snapshot gives the same line).
    package func line() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Data("\(Self.magic) \(Self.format) ".utf8) + (try encoder.encode(self))
    }

    /// Parses the header line, refusing a file that is not a backup or is of another format, and a header whose tables
    /// are not the ones this version copies (a backup from a Coffer with another schema).
    package init(line: Data, file: String) throws {
        let words = line.prefix(64).split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard words.count >= 2, words[0].elementsEqual(Self.magic.utf8) else {
            throw BackupFileError.notABackup(file)
        }
        guard words[1].elementsEqual(String(Self.format).utf8) else {
            throw StoreError(
                .corrupted,
                "The backup file '\(file)' is of format \(String(decoding: words[1], as: UTF8.self)); this version of Coffer reads format \(Self.format); nothing was changed"
            )
        }
        let json = line.dropFirst(Self.magic.utf8.count + 1 + words[1].count + 1)
        do {
            self = try JSONDecoder().decode(BackupHeader.self, from: json)
        } catch {
            throw BackupFileError.corrupted(file, "its header cannot be read")
        }
        let expected = MigratedTable.all.map { ($0.name, $0.columns.map(\.name)) }
        guard tables.map(\.name) == expected.map(\.0), zip(tables, expected).allSatisfy({ $0.columns == $1.1 }) else {
            throw StoreError(
                .corrupted,
                "The backup file '\(file)' holds other tables or columns than this version of Coffer stores; restore it with the Coffer version that took it; nothing was changed"
            )
        }
    }

    package init(createdAt: String, source: String, sourceSchema: String, masterKeyIds: [String], tables: [Table]) {
        self.createdAt = createdAt
        self.source = source
        self.sourceSchema = sourceSchema
        self.masterKeyIds = masterKeyIds
        self.tables = tables
    }
}

/// The refusals of a file that cannot be restored, as `StoreError`s naming the file.
package enum BackupFileError {
    package static func notABackup(_ file: String) -> StoreError {
        StoreError(.corrupted, "'\(file)' is not a Coffer backup (it does not start with '\(BackupHeader.magic)'); nothing was changed")
    }

    package static func corrupted(_ file: String, _ what: String) -> StoreError {
        StoreError(.corrupted, "The backup file '\(file)' is corrupted: \(what); nothing was changed")
    }

    package static func truncated(_ file: String) -> StoreError {
        StoreError(
            .corrupted,
            "The backup file '\(file)' is truncated: it does not end with its checksum line (cut short, or still being written); nothing was changed"
        )
    }
}
