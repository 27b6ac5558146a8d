import Foundation

/// A point in time with millisecond precision, written as RFC 3339 UTC with milliseconds (`2026-11-28T17:00:00.000Z`).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The later of this time and one millisecond after `other`: an update's time never equals or precedes the last one.
    public func advanced(pastOrAt other: Timestamp) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Swift.max(millisecondsSinceEpoch, other.millisecondsSinceEpoch + 1))
    }

    /// The time `duration` before this one (retention cut-offs).
    public func earlier(by duration: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch - duration.wholeMilliseconds)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public var description: String { rfc3339 }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
