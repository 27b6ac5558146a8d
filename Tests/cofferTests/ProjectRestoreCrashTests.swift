import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST /v1/projects/{p}/restore` is one transaction: a `coffer serve` killed (SIGKILL) while it runs leaves every
/// group as it was before or every group as it was at the moment, never a mix, with the history to match.
@Suite(.serialized) struct ProjectRestoreCrashTests {
    static let token = "coffer_restore-crash-token-0123456789abcdefghij"
    static let groups = 150
    let scope = ProjectScope(team: "default", project: "demo")

    static func body(_ index: Int, value: String) -> String {
        #"{"name": "Group \#(index)", "secretType": "environment", "priority": 1, "secrets": {"variables": {"V": "\#(value)", "I": "\#(index)"}}}"#
    }

    /// The kill lands at this fraction of the time a dry run of the same restore takes (it reads and decides as much),
    /// so some kills fall inside the transaction whatever the machine's speed.
    @Test(arguments: [0.0, 0.4, 0.8, 1.1, 1.5])
    func aKillDuringARestoreLeavesTheOldStateOrTheNewOne(killAtFractionOfADryRun fraction: Double) async throws {
        let dataDirectory = NSTemporaryDirectory() + "coffer-restore-crash-" + UUID().uuidString
        let server = try ServerProcess(arguments: ["--data-dir", dataDirectory], environment: ["COFFER_ADMIN_TOKEN": Self.token])
        let port = try await server.port()
        func request(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestClient.Response {
            try await ServerProcess.request(method, path, port: port, token: Self.token, body: body)
        }
        #expect(try await request(.post, "/v1/projects", #"{"name": "Demo"}"#).status == .ok)
        for index in 0..<Self.groups { #expect(try await request(.put, "/v1/projects/demo/secrets", Self.body(index, value: "then")).status == .ok) }
        try await Task.sleep(for: .milliseconds(20))
        let moment = Timestamp.now()
        try await Task.sleep(for: .milliseconds(20))
        for index in 0..<Self.groups { #expect(try await request(.put, "/v1/projects/demo/secrets", Self.body(index, value: "now")).status == .ok) }

        let clock = ContinuousClock()
        let dryRun = try await clock.measure {
            let plan = try await request(.post, "/v1/projects/demo/restore", #"{"asOf": "\#(moment.rfc3339)", "dryRun": true}"#)
            #expect(plan.status == .ok)
        }
        let delay = dryRun * fraction

        let restore = Task { try? await request(.post, "/v1/projects/demo/restore", #"{"asOf": "\#(moment.rfc3339)"}"#) }
        try await Task.sleep(for: delay)
        server.signal(SIGKILL)
        _ = try await server.exitStatus()
        let answer = await restore.value

        let key = try MasterKey(base64: String(contentsOfFile: dataDirectory + "/master.key", encoding: .utf8))
        let store = try SQLiteStore(path: dataDirectory + "/coffer.sqlite", masterKey: key)
        let values = Set(try await store.groups(in: scope).map { $0.definition.secrets.variables["V"] })
        #expect(values.count == 1, "one state for every group, never a mix: \(values)")
        let restored = values == ["then"]
        if answer?.status == .ok { #expect(restored, "an acknowledged restore is durable") }
        for index in [0, Self.groups / 2, Self.groups - 1] {
            let history = try #require(try await store.groupVersions(id: "group-\(index)", in: scope, before: nil, limit: 10))
            #expect(history.versions.map(\.action) == (restored ? [.rollback, .update, .create] : [.update, .create]))
        }
        let rollbacks = try await store.auditEntries(AuditQuery(action: .rollback, limit: 1000))
        #expect(rollbacks.count == (restored ? Self.groups : 0))
        try store.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
