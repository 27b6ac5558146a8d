/// A length of time as a flag takes it: a whole number followed by `d`, `h`, `m` or `s` (`30d`, `12h`, `90m`, `3600s`).
struct DurationArgument: Sendable, Hashable, CustomStringConvertible {
    /// The forms accepted, for help texts and errors.
    static let forms = "a whole number of days, hours, minutes or seconds, such as 30d, 12h, 90m or 3600s"
    /// The longest accepted: a hundred years, far past any retention and far from overflowing a timestamp.
    static let maximumSeconds: Int64 = 36_500 * 86_400

    /// The length in whole seconds.
    let seconds: Int64
    /// The text as given, for `--help` defaults and messages.
    let text: String

    /// Reads `N` plus a unit (N at least 0); nil for anything else, a fraction, or more than `maximumSeconds`.
    init?(_ text: String) {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0, text.first?.isNumber == true else { return nil }
        let scale: Int64
        switch unit {
        case "d": scale = 86_400
        case "h": scale = 3_600
        case "m": scale = 60
        case "s": scale = 1
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        guard !overflow, seconds <= Self.maximumSeconds else { return nil }
        self.seconds = seconds
        self.text = text
    }

    var duration: Duration { .seconds(seconds) }

    var description: String { text }
}
