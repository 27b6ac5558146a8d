import Foundation
import Synchronization

/// Passes the signals that ask a process to stop on to the command `coffer run` started, so it shuts down in its own
/// way while coffer waits to clean up and exit with its status.
enum SignalForwarding {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Starts catching the signals. Call before anything needs cleaning up, so a signal that arrives before the child
    /// runs is held for it instead of killing coffer with its files left behind. A signal coffer was started with
    /// ignored (`nohup` ignores SIGHUP) stays ignored, for coffer and the child.
    static func start() {
        _ = childProcessID.load(ordering: .relaxed)  // initialise the globals here, not first inside a signal handler
        _ = heldSignal.load(ordering: .relaxed)
        _ = receivedCount.load(ordering: .relaxed)
        for number in signals where !Inheritance.isIgnored(number) {
            #if os(Linux)
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = passSignalOn
            action.sa_flags = SA_SIGINFO | SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
            #else
            _ = signal(number) { passSignalOn($0, nil, nil) }
            #endif
        }
    }

    /// Sends the child any signal held for it, and from now on every signal.
    static func childStarted(_ processID: pid_t) {
        childProcessID.store(processID, ordering: .releasing)
        if let held = takeHeldSignal() { kill(processID, held) }
    }

    /// Stops sending signals to a process id that, reaped, may be reused.
    static func childEnded() {
        childProcessID.store(0, ordering: .releasing)
    }

    /// How many of the signals coffer has received so far, passed on or held: `coffer run --watch` compares the
    /// count from before a restart with the one after, and does not start the command again if one came between.
    static var received: Int {
        receivedCount.load(ordering: .acquiring)
    }

    /// The signal received while no child ran, if any, which is then no longer held.
    static func takeHeldSignal() -> Int32? {
        let signal = heldSignal.exchange(0, ordering: .acquiringAndReleasing)
        return signal == 0 ? nil : signal
    }

    /// Whether a signal reached the child along with coffer: the terminal sends the keys' signals (Ctrl-C, Ctrl-\)
    /// and its hangup to the whole foreground process group, marked as sent by the kernel, and the child shares
    /// coffer's group unless it left it. Passing such a signal on would deliver it twice, and a second Ctrl-C
    /// often means "stop now, skip the graceful part".
    static func reachedChildAlready(sentByKernel: Bool, childGroup: pid_t, ownGroup: pid_t) -> Bool {
        sentByKernel && childGroup == ownGroup
    }
}

// A signal handler may only touch lock-free atomics, so the child's id and a signal that came before it started
// live in globals of that kind.

/// The running child's process id, 0 when there is none.
private let childProcessID = Atomic<Int32>(0)
/// A signal received while no child ran, for the child once it starts.
private let heldSignal = Atomic<Int32>(0)
/// Every signal received, for `SignalForwarding.received`.
private let receivedCount = Atomic<Int>(0)

/// The handler of every forwarded signal: sends it on to the child, or holds it until there is one. If the child
/// appeared between the two steps, the held signal is claimed and sent here (`childStarted` claims it otherwise).
private func passSignalOn(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    receivedCount.add(1, ordering: .acquiringAndReleasing)
    var processID = childProcessID.load(ordering: .acquiring)
    if processID > 0 {
        #if os(Linux)
        let sentByKernel = info.map { $0.pointee.si_code == Int32(SI_KERNEL) } ?? false
        #else
        let sentByKernel = false
        #endif
        if !SignalForwarding.reachedChildAlready(sentByKernel: sentByKernel, childGroup: getpgid(processID), ownGroup: getpgrp()) {
            kill(processID, signal)
        }
        return
    }
    heldSignal.store(signal, ordering: .releasing)
    processID = childProcessID.load(ordering: .acquiring)
    if processID > 0, let held = SignalForwarding.takeHeldSignal() { kill(processID, held) }
}
