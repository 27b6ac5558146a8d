import CofferCore
import CofferCrypto
import CofferPostgresTestSupport
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import Testing

/// Every backend the conformance suite runs against. PostgreSQL joins when `POSTGRES_URL` names a server
/// (`PostgreSQLBackendTests` says so when it does not).
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgres

    static var allCases: [Backend] {
        PostgresTestDatabase.url == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    /// A fresh, empty store of this backend with a team `default` and a token, plus a project `demo`.
    func makeStore() async throws -> any SecretStore {
        let store: any SecretStore
        switch self {
        case .memory: store = MemoryStore()
        case .sqlite: store = try SQLiteStore(path: TemporaryDirectory().path + "/coffer.sqlite", masterKey: .generate())
        case .postgres: store = try await PostgresTestDatabase.makeStore(keyring: MasterKeyring(primary: .generate()))
        }
        try await store.bootstrap(team: Fixtures.team, token: Fixtures.token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
        return store
    }
}

/// A directory under the system's temporary directory, unique per call.
struct TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "coffer-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}

enum Fixtures {
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)
    static let team = Team(id: "default", name: "Default", createdAt: t0)
    static let token = Token(
        id: "admin",
        teamId: "default",
        name: "admin",
        secretHash: Data(repeating: 7, count: 32),
        roleName: "admin",
        createdAt: t0
    )
    static let demo = ProjectScope(team: "default", project: "demo")

    static func definition(name: String = "Example Secret", variables: [String: String] = ["NODE_ENV": "production"]) -> SecretGroupDefinition {
        SecretGroupDefinition(
            name: name,
            description: "A description",
            secretType: .environment,
            priority: 10,
            restrictions: Restrictions(restricted: true, nfObjects: [.init(id: "example-service", type: .service)]),
            addonDependencies: [AddonDependency(addonId: "example-addon", keys: [.init(keyName: "USERNAME", aliases: ["MONGO_USERNAME"])])],
            secrets: SecretValues(
                variables: variables,
                files: ["/dir/fileName": SecretFile(data: Data("file with ${NODE_ENV}".utf8))],
                dockerSecretMounts: ["mount_1": SecretFile(data: Data([0, 1, 2, 255]), encoding: .binary)]
            )
        )
    }
}
