import CofferCore
import Foundation
import Synchronization

/// Tokens recently found by hash, so a busy token is read from the store about once per `lifetime` rather than on
/// every request. Revoking through this server forgets the token at once, and so does a revocation through another
/// replica of a shared store (its change listener calls `forget(id:)`); one made straight on an SQLite store (`coffer
/// token revoke`) takes effect within `lifetime`. Expiry is checked on every request.
final class TokenCache: Sendable {
    private struct Entry {
        var token: Token
        var fetched: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Data: Entry] = [:]
        /// Counts forgets, so that a load that overlapped one (and may have read the token before a revocation) is
        /// answered but not kept.
        var epoch = 0
    }

    let lifetime: Duration
    /// Most tokens kept; past it the cache starts over.
    let capacity = 10_000
    private let state = Mutex(State())

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The token with this hash, from the cache while fresh, else from `load` (only found tokens are kept).
    func token(hash: Data, load: (Data) async throws -> Token?) async throws -> Token? {
        let now = ContinuousClock.now
        let (cached, epoch) = state.withLock { ($0.entries[hash], $0.epoch) }
        if let cached, now - cached.fetched < lifetime { return cached.token }
        guard let token = try await load(hash) else { return nil }
        state.withLock { state in
            guard state.epoch == epoch else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = Entry(token: token, fetched: now)
        }
        return token
    }

    /// Forgets the token with this id (it was revoked).
    func forget(id: String) {
        state.withLock { state in
            state.epoch += 1
            state.entries = state.entries.filter { $0.value.token.id != id }
        }
    }

    /// Forgets every token (revocations elsewhere may have been missed).
    func forgetAll() {
        state.withLock { state in
            state.epoch += 1
            state.entries.removeAll()
        }
    }
}
