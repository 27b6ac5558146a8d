import CofferCore
import Foundation
import Synchronization

/// Groups already decrypted and decoded, each remembered with the nonce of the sealed value it came from: a row
/// whose sealed value still starts with that nonce holds exactly that group (every write seals afresh under a random
/// nonce), so reading it again costs no decryption. A write that is rolled back leaves the row's old nonce, which
/// then simply misses.
package final class OpenedGroups: Sendable {
    private struct Key: Hashable {
        let scope: ProjectScope
        let id: String
        /// A recorded version's number; nil for the group's current row.
        let version: Int?
    }

    /// Most groups kept; past it the cache starts over.
    package let capacity: Int
    private let entries = Mutex<[Key: (seal: Data, group: SecretGroup)]>([:])

    package init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The format byte and the 12-byte nonce that begin a sealed value.
    package static func seal(of sealed: Data) -> Data {
        Data(sealed.prefix(13))
    }

    /// The group `sealed` holds if it was opened before: the current row's (`version` nil) or a recorded version's.
    package func group(id: String, in scope: ProjectScope, sealed: Data, version: Int? = nil) -> SecretGroup? {
        let seal = Self.seal(of: sealed)
        return entries.withLock { $0[Key(scope: scope, id: id, version: version)] }.flatMap { $0.seal == seal ? $0.group : nil }
    }

    package func remember(_ group: SecretGroup, in scope: ProjectScope, sealed: Data, version: Int? = nil) {
        let seal = Self.seal(of: sealed)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(scope: scope, id: group.id, version: version)] = (seal, group)
        }
    }
}
