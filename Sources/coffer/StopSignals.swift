import Dispatch
import Foundation

/// Waiting for the signals that ask a long-running client command (`coffer watch`) to stop, so that it stops between
/// two lines of output, never in the middle of one, and exits 0.
enum StopSignals {
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Returns the first of `signals` to arrive from now on (they no longer stop the process by themselves), or nil
    /// when the waiting task is cancelled.
    static func next(of signals: [Int32] = signals) async -> Int32? {
        let (arrivals, continuation) = AsyncStream<Int32>.makeStream()
        // A dispatch source hears a signal only once its default action (ending the process) is switched off.
        let sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        for await number in arrivals { return number }
        return nil
    }
}
