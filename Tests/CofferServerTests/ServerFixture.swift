import CofferCore
import CofferCrypto
import CofferRuntime
import CofferServer
import CofferSQLite
import CofferStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A seeded store (team `default`, admin token, project `demo`) and an application over it.
struct ServerFixture {
    static let adminToken = "coffer_test-admin-token-0123456789abcdefghijklmnop"
    let store: any SecretStore
    var configuration = ServerConfiguration()

    /// A SQLite store in a fresh temporary directory, bootstrapped the way `coffer serve` does it.
    static func sqlite(directory: String = TemporaryPath.make(), masterKey: MasterKey = .generate()) async throws -> ServerFixture {
        let store = try SQLiteStore(path: directory + "/coffer.sqlite", masterKey: masterKey)
        return try await seeded(store)
    }

    static func memory() async throws -> ServerFixture {
        try await seeded(MemoryStore())
    }

    static func seeded(_ store: any SecretStore) async throws -> ServerFixture {
        _ = try await Startup.bootstrap(store, presetAdminToken: adminToken)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: Team.defaultTeamID, at: .now())
        var fixture = ServerFixture(store: store)
        fixture.configuration.port = 0
        return fixture
    }

    func application() -> some ApplicationProtocol {
        buildApplication(configuration: configuration, store: store)
    }
}

enum TemporaryPath {
    static func make() -> String {
        let path = NSTemporaryDirectory() + "coffer-server-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension HTTPFields {
    /// Bearer auth with the fixture's admin token plus a JSON content type.
    static var admin: HTTPFields {
        [.authorization: "Bearer \(ServerFixture.adminToken)", .contentType: "application/json"]
    }
}

extension TestClientProtocol {
    /// Sends `body` (JSON text) with admin credentials.
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil, headers: HTTPFields = .admin) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        get throws {
            try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
        }
    }

    var text: String { String(buffer: body) }

    /// `data` of a success envelope.
    var data: [String: Any] {
        get throws { try json["data"] as? [String: Any] ?? [:] }
    }

    /// `error` of an error envelope.
    var error: [String: Any] {
        get throws { try json["error"] as? [String: Any] ?? [:] }
    }
}
