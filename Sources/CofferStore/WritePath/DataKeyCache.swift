import CofferCore
import CofferCrypto
import Foundation
import Synchronization

/// Unwrapped data keys by project and generation, each remembered with the wrapped bytes and master key id it came
/// from, so a key that was re-wrapped, tampered with or re-created is never served from a stale entry.
package final class DataKeyCache: Sendable {
    private struct Slot: Hashable {
        let scope: ProjectScope
        let generation: Int
    }

    private let entries = Mutex<[Slot: (wrapped: Data, masterKeyID: String, key: DataKey)]>([:])

    package func key(for scope: ProjectScope, generation: Int, wrapped: Data, masterKeyID: String, unwrap: () throws -> DataKey) throws -> DataKey {
        let slot = Slot(scope: scope, generation: generation)
        if let entry = entries.withLock({ $0[slot] }), entry.wrapped == wrapped, entry.masterKeyID == masterKeyID { return entry.key }
        let key = try unwrap()
        entries.withLock { $0[slot] = (wrapped, masterKeyID, key) }
        return key
    }

    package func forget(_ scope: ProjectScope) {
        entries.withLock { entries in entries = entries.filter { $0.key.scope != scope } }
    }
}
