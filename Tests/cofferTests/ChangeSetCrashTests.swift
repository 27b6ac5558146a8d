import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST /v1/projects/{p}/change-sets` is one transaction: a `coffer serve` killed (SIGKILL) while it runs leaves every
/// group of the set as it was before or every group as the set made it, never a mix, with history and audit to match.
@Suite(.serialized) struct ChangeSetCrashTests {
    static let token = "coffer_changeset-crash-token-0123456789abcdefgh"
    static let groups = 150
    let scope = ProjectScope(team: "default", project: "demo")

    static func body(_ index: Int, value: String) -> String {
        #"{"name": "Group \#(index)", "secretType": "environment", "priority": 1, "secrets": {"variables": {"V": "\#(value)", "I": "\#(index)"}}}"#
    }

    static func changeSet(dryRun: Bool) -> String {
        let operations = (0..<groups).map { #"{"op": "put", "body": \#(body($0, value: "after"))}"# }
        return #"{"operations": [\#(operations.joined(separator: ", "))], "dryRun": \#(dryRun)}"#
    }

    /// The kill lands at this fraction of the time a dry run of the same set takes (it reads, decides and plans as much),
    /// so some kills fall inside the transaction whatever the machine's speed.
    @Test(arguments: [0.0, 0.4, 0.8, 1.1, 1.5])
    func aKillDuringAChangeSetLeavesTheOldStateOrTheNewOne(killAtFractionOfADryRun fraction: Double) async throws {
        let dataDirectory = NSTemporaryDirectory() + "coffer-changeset-crash-" + UUID().uuidString
        let server = try ServerProcess(arguments: ["--data-dir", dataDirectory], environment: ["COFFER_ADMIN_TOKEN": Self.token])
        let port = try await server.port()
        func request(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestClient.Response {
            try await ServerProcess.request(method, path, port: port, token: Self.token, body: body)
        }
        #expect(try await request(.post, "/v1/projects", #"{"name": "Demo"}"#).status == .ok)
        for index in 0..<Self.groups { #expect(try await request(.put, "/v1/projects/demo/secrets", Self.body(index, value: "before")).status == .ok) }
        #expect(try await request(.post, "/v1/projects/demo/services", #"{"name": "api"}"#).status == .ok)

        let clock = ContinuousClock()
        let dryRun = try await clock.measure {
            let plan = try await request(.post, "/v1/projects/demo/change-sets", Self.changeSet(dryRun: true))
            #expect(plan.status == .ok)
        }
        let applying = Task { try? await request(.post, "/v1/projects/demo/change-sets", Self.changeSet(dryRun: false)) }
        try await Task.sleep(for: dryRun * fraction)
        server.signal(SIGKILL)
        _ = try await server.exitStatus()
        let answer = await applying.value

        let key = try MasterKey(base64: String(contentsOfFile: dataDirectory + "/master.key", encoding: .utf8))
        let store = try SQLiteStore(path: dataDirectory + "/coffer.sqlite", masterKey: key)
        let values = Set(try await store.groups(in: scope).map { $0.definition.secrets.variables["V"] })
        #expect(values.count == 1, "one state for every group, never a mix: \(values)")
        let applied = values == ["after"]
        if answer?.status == .ok { #expect(applied, "an acknowledged change set is durable") }
        for index in [0, Self.groups / 2, Self.groups - 1] {
            let history = try #require(try await store.groupVersions(id: "group-\(index)", in: scope, before: nil, limit: 10))
            #expect(history.versions.map(\.action) == (applied ? [.update, .create] : [.create]))
        }
        let updates = try await store.auditEntries(AuditQuery(action: .update, resourceType: .secret, limit: 1000))
        #expect(updates.count == (applied ? Self.groups : 0))
        var verifier = AuditChain.Verifier()
        try verifier.check(try await store.auditEntries(AuditQuery(limit: 10_000)))
        try store.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
