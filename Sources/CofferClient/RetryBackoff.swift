/// How long a call that keeps going (a watch) waits before its next attempt after failures in a row: `initial`,
/// doubling with each failure up to `maximum`, each wait drawn between half of that and all of it, so that many
/// clients reconnecting to a restarted server spread out instead of arriving together.
public struct RetryBackoff: Sendable, Hashable {
    /// The wait after the first failure (at most; at least half of it).
    public var initial: Duration
    /// The longest wait, however many failures came before.
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = max(maximum, initial)
    }

    /// The wait before the next attempt after `failures` failures in a row (1 for the first).
    public func delay(afterFailures failures: Int) -> Duration {
        let ceiling = self.ceiling(afterFailures: failures)
        return ceiling * Double.random(in: 0.5...1)
    }

    /// The longest `delay(afterFailures:)` can be: `initial` doubled `failures - 1` times, capped at `maximum`.
    public func ceiling(afterFailures failures: Int) -> Duration {
        var ceiling = initial
        for _ in 1..<max(failures, 1) {
            guard ceiling < maximum else { break }
            ceiling *= 2
        }
        return min(ceiling, maximum)
    }
}
