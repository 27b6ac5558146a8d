import CofferCrypto
import Foundation
import Synchronization

/// The master keys a store holds, re-read through `reload` when a data key names a key the ring lacks: that is how a
/// running server picks up the key another process rotated to. Reloads are debounced so a bad id cannot hammer the
/// key file.
final class LiveKeyring: Sendable {
    private struct State {
        var ring: MasterKeyring
        var lastReload: ContinuousClock.Instant?
    }

    /// The shortest time between two reloads.
    static let reloadInterval: Duration = .seconds(1)

    private let state: Mutex<State>
    private let reload: (@Sendable () throws -> MasterKeyring)?

    init(_ ring: MasterKeyring, reload: (@Sendable () throws -> MasterKeyring)?) {
        state = Mutex(State(ring: ring))
        self.reload = reload
    }

    /// The ring as last read.
    var ring: MasterKeyring { state.withLock { $0.ring } }

    /// The key named `id`, reloading the ring once if it lacks it; `unknownMasterKey` (naming the id) otherwise.
    func key(id: String) throws -> MasterKey {
        if let key = ring.key(id: id) { return key }
        if let reloaded = try reloadIfDue(), let key = reloaded.key(id: id) { return key }
        throw StoreError.unknownMasterKey(id)
    }

    private func reloadIfDue() throws -> MasterKeyring? {
        guard let reload else { return nil }
        let now = ContinuousClock.now
        let due = state.withLock { state in
            if let last = state.lastReload, now - last < Self.reloadInterval { return false }
            state.lastReload = now
            return true
        }
        guard due else { return nil }
        let ring: MasterKeyring
        do {
            ring = try reload()
        } catch {
            throw StoreError(.unknownMasterKey, "Reloading the master keys failed: \(error)")
        }
        state.withLock { $0.ring = ring }
        return ring
    }
}
