import CofferCore
import CofferPostgres
import CofferPostgresTestSupport
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Why stores are prepared before their application is built, never in `beforeServerStarts`: HummingbirdTesting's
/// `.live` (2.28.1, `LiveTestFramework.run`) awaits the bound port with a promise that only `onServerRunning`
/// completes, and ignores cancellation. An application that fails before it binds (a throwing `beforeServerStarts`,
/// such as a store preparation that ran out of time on a loaded machine) ends its service group with the error, which
/// nobody awaits, and the test waits forever with every thread idle: the cold-start stall of issue 14.
@Suite struct LiveStartupTests {
    struct PreparationFailed: Error {}

    @Test func liveNeverReturnsWhenTheApplicationFailsBeforeItBinds() async throws {
        var failing = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        failing.beforeServerStarts { throw PreparationFailed() }
        let app = failing
        let outcome = await Deadline.outcome(within: .seconds(3)) {
            try await app.test(.live) { _ in }
        }
        // If this fails, HummingbirdTesting now reports the failure: `.live` may then run preparations again.
        #expect(outcome == nil, "still waiting for the port three seconds after the application failed")
    }

    @Test func aReplicaPairOnARefusingDatabaseFailsInsteadOfHanging() async throws {
        let closed = try ClosedPort()
        let url = try PostgresURL("postgres://coffer@127.0.0.1:\(closed.port)/coffer?sslmode=disable")
        let outcome = await Deadline.outcome(within: .seconds(60)) {
            try await ReplicaPair(configuration: url.clientConfiguration()).run(leaseTimeout: .seconds(1)) { _, _, _ in
                Issue.record("the replicas served on a database that refuses connections")
            }
        }
        let failure = try #require(outcome, "the pair hung instead of failing")
        #expect((failure as? StoreError)?.code == .unavailable, "\(failure)")
        withExtendedLifetime(closed) {}
    }
}

/// Runs work that may never end, even when cancelled, and gives up waiting for it after a while.
enum Deadline {
    /// The error `body` threw, `Deadline.Returned` if it returned, or nil if it was still running after `timeout`.
    /// `body` runs in a task of its own that is left behind (cancelled) if it overruns: joining it, as a task group
    /// would, could wait forever, which is what these tests are about.
    static func outcome(within timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> (any Error)? {
        let result = Shared<(any Error)??>(nil)
        let work = Task {
            do {
                try await body()
                result.value = .some(Returned())
            } catch {
                result.value = .some(error)
            }
        }
        let deadline = ContinuousClock.now + timeout
        while result.value == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard let finished = result.value else {
            work.cancel()
            return nil
        }
        return finished
    }

    /// `body` returned without an error.
    struct Returned: Error {}
}
