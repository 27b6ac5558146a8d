import CofferCrypto
import Foundation
import Synchronization

/// The master keys a store holds, re-read through `reload` when a data key names a key the ring lacks: that is how a
/// running server picks up the key another process rotated to. Reloads are debounced so a bad id cannot hammer the
/// key file.
package final class LiveKeyring: Sendable {
    private struct State {
        var ring: MasterKeyring
        var lastReload: ContinuousClock.Instant?
    }

    /// The shortest time between two reloads.
    package static let reloadInterval: Duration = .seconds(1)

    private let state: Mutex<State>
    private let reload: (@Sendable () throws -> MasterKeyring)?

    package init(_ ring: MasterKeyring, reload: (@Sendable () throws -> MasterKeyring)?) {
        state = Mutex(State(ring: ring))
        self.reload = reload
    }

    /// The ring as last read.
    package var ring: MasterKeyring { state.withLock { $0.ring } }

    /// The key named `id`, reloading the ring once if it lacks it; `unknownMasterKey` (naming the id) otherwise. The
    /// reload runs under the lock, so callers that meet the same new id together wait for one reload and all find the
    /// key, instead of one reloading and the others, debounced, failing.
    package func key(id: String) throws -> MasterKey {
        if let key = ring.key(id: id) { return key }
        guard let reload else { throw StoreError.unknownMasterKey(id) }
        return try state.withLock { state in
            if let key = state.ring.key(id: id) { return key }
            let now = ContinuousClock.now
            if let last = state.lastReload, now - last < Self.reloadInterval { throw StoreError.unknownMasterKey(id) }
            state.lastReload = now
            do {
                state.ring = try reload()
            } catch {
                throw StoreError(.unknownMasterKey, "Reloading the master keys failed: \(error)")
            }
            guard let key = state.ring.key(id: id) else { throw StoreError.unknownMasterKey(id) }
            return key
        }
    }
}
