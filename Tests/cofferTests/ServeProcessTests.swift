import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The `coffer serve` binary as a user runs it: first start, a write acknowledged then a crash, a restart,
/// a wrong master key, and a graceful stop.
@Suite(.serialized) struct ServeProcessTests {
    let dataDirectory = NSTemporaryDirectory() + "coffer-serve-tests-" + UUID().uuidString

    static let body = #"""
        {"name": "Example Secret", "secretType": "environment", "priority": 10,
         "secrets": {"variables": {"NODE_ENV": "production", "MONGO_DB": "some_connection_string"}}}
        """#

    func request(_ method: HTTPRequest.Method, _ path: String, port: Int, token: String, body: String? = nil) async throws -> TestClient.Response {
        try await ServerProcess.request(method, path, port: port, token: token, body: body)
    }

    @Test func firstStartPrintsTheTokenOnceAndAnAcknowledgedWriteSurvivesAKill() async throws {
        let first = try ServerProcess(arguments: ["--data-dir", dataDirectory])
        let port = try await first.port()
        let token = first.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("coffer_") && token.count == 50)
        #expect(first.standardError.contains("Generated a new master key in \(dataDirectory)/master.key"))
        #expect(first.standardError.contains("data in \(dataDirectory) (sqlite)"))
        #expect(first.standardError.components(separatedBy: "listening on").count == 2, "one listening line")
        let keyAttributes = try FileManager.default.attributesOfItem(atPath: dataDirectory + "/master.key")
        #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)

        #expect(try await request(.post, "/v1/projects", port: port, token: token, body: #"{"name": "Demo"}"#).status == .ok)
        let put = try await request(.put, "/v1/projects/demo/secrets", port: port, token: token, body: Self.body)
        #expect(put.status == .ok)
        first.signal(SIGKILL)
        _ = try await first.exitStatus()

        let key = try MasterKey(base64: String(contentsOfFile: dataDirectory + "/master.key", encoding: .utf8))
        let store = try SQLiteStore(path: dataDirectory + "/coffer.sqlite", masterKey: key)
        let group = try await store.group(id: "example-secret", in: ProjectScope(team: "default", project: "demo"))
        #expect(group?.definition.secrets.variables == ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"])
        try store.close()

        let second = try ServerProcess(arguments: ["--data-dir", dataDirectory])
        let secondPort = try await second.port()
        #expect(second.standardOutput.isEmpty, "the token is printed only on the first start")
        #expect(!second.standardError.contains("Generated a new master key"))
        let again = try await request(.put, "/v1/projects/demo/secrets", port: secondPort, token: token, body: Self.body)
        #expect(again.status == .ok)
        #expect(again.headers[.eTag] == "\"1\"", "an unchanged PUT after the restart is a no-op")
        second.signal(SIGTERM)
        #expect(try await second.exitStatus() == 0)
    }

    @Test func wrongMasterKeyIsRefusedAtStartWithoutTouchingTheData() async throws {
        let keyFile = dataDirectory + "-key"
        try MasterKey.generate().base64.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let first = try ServerProcess(
            arguments: ["--data-dir", dataDirectory, "--master-key-file", keyFile],
            environment: ["COFFER_ADMIN_TOKEN": "coffer_preset-admin-token-0123456789abcdef"]
        )
        _ = try await first.port()
        #expect(first.standardOutput.isEmpty, "a preset admin token is not printed")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/master.key"))
        first.signal(SIGINT)
        #expect(try await first.exitStatus() == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/coffer.sqlite"))

        let wrong = try ServerProcess(arguments: ["--data-dir", dataDirectory], environment: ["COFFER_MASTER_KEY": MasterKey.generate().base64])
        #expect(try await wrong.exitStatus() == 1)
        #expect(wrong.standardError.contains("The master key does not match the one this database was created with"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/coffer.sqlite")) == before)

        let missing = try ServerProcess(arguments: ["--data-dir", dataDirectory])
        #expect(try await missing.exitStatus() == 1)
        #expect(missing.standardError.contains("holds a database but no master key"))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/master.key"))

        let malformed = try ServerProcess(arguments: ["--data-dir", dataDirectory], environment: ["COFFER_MASTER_KEY": "short"])
        #expect(try await malformed.exitStatus() == 1)
        #expect(malformed.standardError.contains("Cannot use the master key from COFFER_MASTER_KEY"))
    }
}
