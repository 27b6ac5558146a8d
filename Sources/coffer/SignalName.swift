import ArgumentParser
import Foundation

/// A signal as a flag names it: `HUP`, `SIGHUP`, `hup` or its number (`--watch-signal`).
struct SignalName: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    static let known: [(name: String, number: Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ABRT", SIGABRT), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM), ("CHLD", SIGCHLD), ("CONT", SIGCONT),
        ("STOP", SIGSTOP), ("TSTP", SIGTSTP), ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU),
        ("XFSZ", SIGXFSZ), ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO), ("SYS", SIGSYS),
    ]

    let number: Int32
    /// The name without `SIG` (`HUP`), or the number for one without a name here.
    let name: String

    init?(argument: String) {
        let text = argument.uppercased()
        let bare = text.hasPrefix("SIG") ? String(text.dropFirst(3)) : text
        if let known = Self.known.first(where: { $0.name == bare }) {
            (name, number) = known
        } else if let number = Int32(argument), (1...31).contains(number) {
            self.number = number
            name = Self.known.first { $0.number == number }?.name ?? argument
        } else {
            return nil
        }
    }

    var description: String { "SIG" + name }

    static var defaultCompletionKind: CompletionKind { .list(known.map(\.name)) }
}
