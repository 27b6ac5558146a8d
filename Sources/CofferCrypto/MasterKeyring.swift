import Foundation

/// The master keys a store may use: the primary wraps new data keys, the others only unwrap, so data wrapped by an
/// older key stays readable while a rotation moves it to the new one.
public struct MasterKeyring: Sendable {
    /// The key that wraps new data keys and the check value.
    public let primary: MasterKey
    /// Every key, the primary first, without duplicates.
    public let keys: [MasterKey]

    /// A ring of `primary` followed by `others`; a key listed twice is kept once.
    public init(primary: MasterKey, others: [MasterKey] = []) {
        var seen: Set<String> = []
        self.primary = primary
        self.keys = ([primary] + others).filter { seen.insert($0.id).inserted }
    }

    /// The key whose `id` is `id`, if the ring holds it.
    public func key(id: String) -> MasterKey? {
        keys.first { $0.id == id }
    }

    /// The ids, primary first: safe to print.
    public var ids: [String] { keys.map(\.id) }

    /// The text form of a key file: one base64 key per line, the primary first.
    public var text: String {
        keys.map(\.base64).joined(separator: "\n") + "\n"
    }
}

extension MasterKeyring {
    /// Reads one base64 key per line (commas separate keys too, for `COFFER_MASTER_KEY`); blank lines are skipped and
    /// the first key is the primary. A bad entry is named by its line number, never by its text.
    public init(text: String) throws(CryptoError) {
        var keys: [MasterKey] = []
        for (lineIndex, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let entries = line.split(separator: ",", omittingEmptySubsequences: false)
            for (entryIndex, entry) in entries.enumerated() where !entry.allSatisfy(\.isWhitespace) {
                do {
                    keys.append(try MasterKey(base64: String(entry)))
                } catch {
                    let position = entries.count > 1 ? "line \(lineIndex + 1), entry \(entryIndex + 1)" : "line \(lineIndex + 1)"
                    throw CryptoError(.invalidMasterKey, "\(position): \(error.message)")
                }
            }
        }
        guard let primary = keys.first else { throw CryptoError(.invalidMasterKey, "no master key found") }
        self.init(primary: primary, others: Array(keys.dropFirst()))
    }
}
