import CofferCore
import Foundation
import Synchronization

/// Tokens recently found by hash, so a busy token is read from the store about once per `lifetime` rather than on
/// every request. Revoking through this server forgets the token at once; a revocation made elsewhere (`coffer token
/// revoke` on the store, another replica) takes effect within `lifetime`. Expiry is checked on every request.
final class TokenCache: Sendable {
    private struct Entry {
        var token: Token
        var fetched: ContinuousClock.Instant
    }

    let lifetime: Duration
    /// Most tokens kept; past it the cache starts over.
    let capacity = 10_000
    private let entries = Mutex<[Data: Entry]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The token with this hash, from the cache while fresh, else from `load` (only found tokens are kept).
    func token(hash: Data, load: (Data) async throws -> Token?) async throws -> Token? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[hash] }), now - entry.fetched < lifetime { return entry.token }
        guard let token = try await load(hash) else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(token: token, fetched: now)
        }
        return token
    }

    /// Forgets the token with this id (it was revoked).
    func forget(id: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.token.id != id } }
    }
}
