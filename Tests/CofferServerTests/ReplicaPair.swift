import CofferCore
import CofferCrypto
import CofferPostgres
import CofferPostgresTestSupport
import CofferRuntime
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// Two replicas as `coffer serve --database-url` runs them: two servers, each over its own `PostgresStore` (pool and
/// change listener) on one database, both live on loopback. Nothing is shared in memory between them.
struct ReplicaPair {
    let configuration: PostgresClient.Configuration
    let masterKey = MasterKey.generate()

    /// A pair on a fresh schema of the tests' database.
    static func onTestDatabase() async throws -> ReplicaPair {
        var configuration = try await PostgresTestDatabase.configuration(schema: try await PostgresTestDatabase.makeSchema())
        configuration.options.maximumConnections = 12
        return ReplicaPair(configuration: configuration)
    }

    /// One replica's store; `leaseTimeout` bounds how long a call waits for a connection while the database is down,
    /// and twice that how long a call may run at all (so a query lost with its connection is given up in seconds). By
    /// default the tests' generous limits: only an outage test wants a prompt 503.
    func makeStore(leaseTimeout: Duration? = nil) -> PostgresStore {
        PostgresStore(
            configuration: configuration,
            keyring: MasterKeyring(primary: masterKey),
            leaseTimeout: leaseTimeout ?? PostgresTestDatabase.leaseTimeout,
            callTimeout: leaseTimeout.map { $0 * 2 } ?? PostgresTestDatabase.callTimeout
        )
    }

    /// Runs `body` with a live client of each replica and their stores; the database is prepared (migrated, bootstrapped
    /// with the fixture's admin token) before either application is built, through a store with the tests' long
    /// limits, so that an outage test's short lease bounds its requests and not the set-up. `open()` changes nothing in
    /// memory, so the replicas need not repeat it (replicas preparing together are tested in PostgreSQLBackendTests).
    ///
    /// Each store's pool runs in this call, not as a service of its application: a preparation that throws inside
    /// `beforeServerStarts` leaves `.live` waiting forever for the port (see `LiveStartupTests`), where here it throws.
    /// The pools stop when this call ends, however it ends.
    func run(
        leaseTimeout: Duration? = nil,
        _ body: @escaping @Sendable (_ a: any TestClientProtocol, _ b: any TestClientProtocol, _ stores: [PostgresStore]) async throws -> Void
    ) async throws {
        let stores = [makeStore(leaseTimeout: leaseTimeout), makeStore(leaseTimeout: leaseTimeout)]
        var server = ServerConfiguration()
        server.port = 0
        // Long enough that only the change notification can make a replica forget a token within the tests' waits.
        server.tokenCacheLifetime = .seconds(60)
        let setup = makeStore()
        try await setup.whileRunning {
            _ = try await Startup.prepare(setup, presetAdminToken: ServerFixture.adminToken)
        }
        try await stores[0].whileRunning {
            try await stores[1].whileRunning {
                let apps = stores.map { buildApplication(configuration: server, store: $0) }
                try await apps[0].test(.live) { a in
                    try await apps[1].test(.live) { b in
                        try await body(a, b, stores)
                    }
                }
            }
        }
    }
}

extension TestClientProtocol {
    /// A connection of its own to the same live server, for one of many concurrent request loops.
    func separateConnection() throws -> TestClient {
        let client = TestClient(host: "127.0.0.1", port: try #require(port))
        client.connect()
        return client
    }
}

extension TestClient {
    /// Sends `body` (JSON text) with admin credentials and `extra` headers.
    func send(_ method: HTTPRequest.Method, _ uri: String, json body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Response {
        var headers = HTTPFields.admin
        headers.append(contentsOf: extra)
        if let body { headers[.contentLength] = String(body.utf8.count) }
        return try await execute(.init(uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
    }
}

extension TestClientProtocol {
    /// Sends a GET until `settled` accepts the answer or two seconds pass, and returns the last answer. A replica hears
    /// of another's write by a notification that PostgreSQL delivers at commit: on loopback that is well under a
    /// millisecond, but nothing orders it before this client's next request, so a read right after a write through
    /// the other replica may need a moment.
    func read(_ uri: String, headers: HTTPFields = .admin, until settled: (TestResponse) throws -> Bool) async throws -> TestResponse {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            let response = try await send(.get, uri, headers: headers)
            if try settled(response) || ContinuousClock.now >= deadline { return response }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

extension TestClient.Response {
    /// `data` of a success envelope.
    var data: [String: Any] {
        get throws {
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body ?? ByteBuffer())) as? [String: Any]
            return object?["data"] as? [String: Any] ?? [:]
        }
    }
}
