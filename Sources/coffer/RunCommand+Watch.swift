import CofferAPI
import CofferClient
import CofferCore
import Foundation

extension RunCommand {
    /// What the supervising loop of `--watch` waits for.
    enum WatchEvent: Sendable {
        /// The command with this process id ended, with this exit status.
        case exited(pid_t, status: Int32)
        /// The runtime environment changed (and settled) to these values.
        case changed(EffectiveValues)
        /// The command with this process id was sent SIGTERM `--grace` seconds ago.
        case graceOver(pid_t)
    }

    /// `coffer run --watch`: runs the command and, each time `watcher` reports a new environment, restarts it with
    /// that environment and its files (SIGTERM, `--grace` seconds, SIGKILL, start again) or, with `--watch-signal`,
    /// rewrites the files and sends it that signal. Answers the status to exit with once the command ends by itself
    /// (or by a signal coffer passed on to it), as `coffer run` does.
    func runWatching(
        _ watcher: EnvironmentWatcher,
        from initial: (values: EffectiveValues, etag: String?),
        files: inout RuntimeFiles,
        inheritance: Inheritance
    ) async throws -> Int32 {
        if let early = SignalForwarding.takeHeldSignal() { return 128 + early }  // stopped before it began
        let (events, sink) = AsyncStream<WatchEvent>.makeStream()
        let grace = Duration.milliseconds(Int64((self.grace ?? Self.defaultGrace) * 1000))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // Every task but the watcher ends by itself: a waiter when its command ends, a grace timer after `grace`.
            defer { group.cancelAll() }
            func start(_ values: EffectiveValues) throws -> pid_t {
                let processID = try ChildProcess.start(
                    command,
                    environment: try environment(adding: values.variables, filesRoot: files.root),
                    inheritance: inheritance
                )
                group.addTask {
                    let status = await ChildProcess.waitForExit(of: processID)
                    sink.yield(.exited(processID, status: ChildProcess.exitCode(status)))
                }
                return processID
            }
            group.addTask {
                await watcher.run(from: initial.values, etag: initial.etag, changed: { sink.yield(.changed($0)) }, note: Self.note)
            }
            var values = initial.values
            var child = try start(values)
            var iterator = events.makeAsyncIterator()
            while let event = await iterator.next() {
                guard case .changed(let changed) = event else {
                    if case .exited(let processID, let status) = event, processID == child {
                        SignalForwarding.childEnded()
                        return status
                    }
                    continue
                }
                values = changed
                if let signal = watchSignal {
                    do {
                        try files.update(values.files)
                        Self.note("the runtime environment changed; rewrote the files and sent \(signal) to the command")
                        kill(child, signal.number)
                    } catch {
                        Self.note("the runtime environment changed but the files cannot be rewritten (\(error)); the command keeps running")
                    }
                    continue
                }
                Self.note("the runtime environment changed; restarting the command")
                let signalsBefore = SignalForwarding.received
                let (status, latest) = await stop(child, grace: grace, events: &iterator, group: &group, sink: sink)
                values = latest ?? values
                SignalForwarding.childEnded()
                // A signal for coffer while the command stopped (Ctrl-C, say) means stop, not start again.
                if SignalForwarding.received != signalsBefore { return status }
                if let held = SignalForwarding.takeHeldSignal() { return 128 + held }
                try files.update(values.files)
                child = try start(values)
            }
            return 1  // unreachable: the stream ends only with the group
        }
    }

    /// Sends SIGTERM to `child`, then SIGKILL if it is still running after `grace`, and waits for it to end; answers
    /// its exit status and the latest environment reported meanwhile, if any.
    func stop(
        _ child: pid_t,
        grace: Duration,
        events: inout AsyncStream<WatchEvent>.Iterator,
        group: inout ThrowingTaskGroup<Void, any Error>,
        sink: AsyncStream<WatchEvent>.Continuation
    ) async -> (status: Int32, latest: EffectiveValues?) {
        kill(child, SIGTERM)
        group.addTask {
            try await Task.sleep(for: grace)
            sink.yield(.graceOver(child))
        }
        var latest: EffectiveValues?
        while let event = await events.next() {
            switch event {
            case .exited(let processID, let status) where processID == child: return (status, latest)
            case .graceOver(let processID) where processID == child:
                Self.note("the command did not stop within \(self.grace ?? Self.defaultGrace) s of SIGTERM; sending SIGKILL")
                kill(child, SIGKILL)
            case .changed(let values): latest = values
            default: continue
            }
        }
        return (128 + SIGKILL, latest)  // unreachable: the stream ends only with the group
    }

    /// One line on standard error, beside the command's own output.
    @Sendable static func note(_ message: String) {
        FileHandle.standardError.write(Data("coffer: \(message)\n".utf8))
    }
}
