import Foundation
import Synchronization

/// How many requests one token may make per window (`--rate-limit 600/min`).
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public var requests: Int
    /// The window, in seconds.
    public var window: Int

    public init(requests: Int, window: Int) {
        self.requests = requests
        self.window = window
    }

    /// Reads `N/s`, `N/min` or `N/h` (N at least 1); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let requests = Int(parts[0]), requests >= 1 else { return nil }
        switch parts[1] {
        case "s", "sec", "second": window = 1
        case "m", "min", "minute": window = 60
        case "h", "hour": window = 3600
        default: return nil
        }
        self.requests = requests
    }

    public var description: String { "\(requests)/\(window == 1 ? "s" : window == 60 ? "min" : "h")" }
}

/// Counts requests per key (a token id) in fixed windows that start at each key's first request. In memory and per
/// process: behind a load balancer each replica counts its own share.
final class RateLimiter: Sendable {
    /// What one request was told.
    struct Decision: Equatable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Whole seconds until the window resets (at least 1).
        var resetSeconds: Int
    }

    private struct Window {
        var start: Double
        var count: Int
    }

    let limit: RateLimit
    private let windows = Mutex<[String: Window]>([:])

    init(limit: RateLimit) {
        self.limit = limit
    }

    /// Counts a request by `key` at `now` (seconds on any monotonic scale) and says whether it may proceed.
    func admit(_ key: String, now: Double) -> Decision {
        let length = Double(limit.window)
        return windows.withLock { windows in
            // Keys whose window has passed are dropped now and then, so memory follows the active tokens only.
            if windows.count > 10_000 { windows = windows.filter { now - $0.value.start < length } }
            var window = windows[key].flatMap { now - $0.start < length ? $0 : nil } ?? Window(start: now, count: 0)
            let allowed = window.count < limit.requests
            if allowed { window.count += 1 }
            windows[key] = window
            let reset = max(1, Int((window.start + length - now).rounded(.up)))
            return Decision(allowed: allowed, limit: limit.requests, remaining: limit.requests - window.count, resetSeconds: reset)
        }
    }
}
