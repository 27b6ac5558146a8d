import CofferCrypto
import CofferPostgresTestSupport
import CofferTestSupport
import Foundation
import Testing

/// `coffer serve --database-url` on a database it cannot reach stops within seconds with one line that says where it
/// tried and what the driver saw, and never the password.
@Suite struct ServeUnreachableDatabaseTests {
    @Test func aRefusingDatabaseStopsTheServerWithinFiveSecondsWithOneLine() async throws {
        let closed = try ClosedPort()
        // What starting the debug binary costs on this machine right now (dozens of suites may be running): a start
        // refused at its first check, before any database is looked at. The five seconds are the database's share.
        let baselineStart = ContinuousClock.now
        let baseline = try ServerProcess(arguments: ["--rate-limit", "never"])
        #expect(try await baseline.exitStatus(timeout: .seconds(30)) != 0)
        let startupCost = ContinuousClock.now - baselineStart
        let started = ContinuousClock.now
        let server = try ServerProcess(
            arguments: ["--database-url", "postgres://coffer:hunter2-secret-pw@127.0.0.1:\(closed.port)/coffer?sslmode=disable"],
            environment: ["COFFER_MASTER_KEY": MasterKey.generate().base64]
        )
        let status = try await server.exitStatus(timeout: .seconds(5) + startupCost * 2)
        let elapsed = ContinuousClock.now - started
        #expect(status == 1)
        #expect(elapsed - startupCost < .seconds(5), "exited after \(elapsed), of which starting the binary takes \(startupCost)")
        let lines = server.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(server.standardError)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("coffer: error: Cannot reach the PostgreSQL database at 127.0.0.1:\(closed.port): connectionError"), "\(line)")
        #expect(line.contains("Connection refused"), "\(line)")
        #expect(!server.standardError.contains("hunter2") && !server.standardOutput.contains("hunter2"))
        #expect(server.standardOutput.isEmpty, "no admin token is printed for a database never reached")
        withExtendedLifetime(closed) {}
    }
}
