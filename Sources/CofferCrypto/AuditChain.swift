import CofferCore
import Crypto
import Foundation

/// The audit log's hash chain: each entry's SHA-256 covers its fields and the previous entry's hash, so editing,
/// removing or reordering an entry is detected at that entry by walking the chain from the start.
public enum AuditChain {
    /// The `previousHash` of the first entry.
    public static let genesis = Data(repeating: 0, count: 32)

    /// `entry` as the next link after `previous` (sequence and hash of the last entry; nil for an empty log).
    public static func link(_ entry: AuditEntry, after previous: (sequence: Int64, hash: Data)?) -> AuditEntry {
        var linked = entry
        linked.sequence = (previous?.sequence ?? 0) + 1
        linked.previousHash = previous?.hash ?? genesis
        linked.hash = Data(SHA256.hash(data: linked.chainedBytes))
        return linked
    }

    /// Where a chain breaks, naming the first entry that is not what the chain says it should be.
    public struct Break: Error, Sendable, Equatable, CustomStringConvertible {
        public var sequence: Int64
        public var reason: String

        public init(sequence: Int64, reason: String) {
            self.sequence = sequence
            self.reason = reason
        }

        public var description: String { "audit entry \(sequence) \(reason)" }
    }

    /// `entries` (linked, in sequence order) with each project's next revisions after `current` (the project's
    /// latest, absent for none yet).
    public static func numbering(_ entries: [AuditEntry], after current: [ProjectScope: Int64]) -> [AuditEntry] {
        var latest = current
        return entries.map { entry in
            guard let projectId = entry.projectId else { return entry }
            let scope = ProjectScope(team: entry.teamId, project: projectId)
            var numbered = entry
            let revision = (latest[scope] ?? 0) + 1
            numbered.revision = revision
            latest[scope] = revision
            return numbered
        }
    }

    /// Walks a chain in sequence order, one page at a time, carrying the running state.
    public struct Verifier: Sendable {
        public private(set) var count: Int64 = 0
        public private(set) var head: Data = AuditChain.genesis
        /// Each project's last revision seen.
        private var revisions: [ProjectScope: Int64] = [:]

        public init() {}

        /// Checks the next entries; throws the first break.
        public mutating func check(_ entries: some Sequence<AuditEntry>) throws(Break) {
            for entry in entries {
                let expected = count + 1
                guard entry.sequence == expected else {
                    throw Break(sequence: expected, reason: "is missing (the next entry found is \(entry.sequence))")
                }
                guard entry.previousHash == head else {
                    throw Break(sequence: entry.sequence, reason: "does not follow entry \(count): its previous-hash link is wrong")
                }
                guard Data(SHA256.hash(data: entry.chainedBytes)) == entry.hash else {
                    throw Break(sequence: entry.sequence, reason: "was edited: its contents do not match its hash")
                }
                if let projectId = entry.projectId {
                    let scope = ProjectScope(team: entry.teamId, project: projectId)
                    let next = (revisions[scope] ?? 0) + 1
                    guard entry.revision == next else {
                        let found = entry.revision.map(String.init) ?? "none"
                        throw Break(sequence: entry.sequence, reason: "has project revision \(found), not \(next)")
                    }
                    revisions[scope] = next
                }
                count = entry.sequence
                head = entry.hash
            }
        }
    }
}
