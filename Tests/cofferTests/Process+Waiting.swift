import Foundation

extension Process {
    /// Waits (polling, without blocking a thread) for the process to exit and returns its status.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            guard ContinuousClock.now < deadline else { throw ProcessError(message: "still running") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return terminationStatus
    }

    /// Kills a process a test left running, so no child outlives the test run.
    func killIfRunning() {
        if isRunning { kill(processIdentifier, SIGKILL) }
    }
}
