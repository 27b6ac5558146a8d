import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A full scenario with every log line kept at trace level: no stored value, and not the token, appears in it.
@Suite struct SecretsInLogsTests {
    @Test func traceLevelLogsCarryNoValuesAndNoToken() async throws {
        // The fixture's own set-up happens before the capturing logger exists; everything after is captured.
        let fixture = try await ServerFixture.sqlite()
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "coffer-test") { _ in CapturingLogHandler(lines: lines) }
        let app = buildApplication(configuration: fixture.configuration, store: fixture.store, logger: logger)
        let secretValues = [
            "production", "some_connection_string", "VGhpcyBpcyBhbiBleGFtcGxl", "This is an example", "s3cr3t-credential", "own-value-42",
        ]
        let issuedTokens = Mutex<[String]>([])
        try await app.test(.live) { client async throws in
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            let addon = #"{"name": "Example Addon", "type": "mongodb", "credentials": {"USERNAME": "s3cr3t-credential"}}"#
            #expect(try await client.send(.post, "/v1/projects/demo/addons", json: addon).status == .ok)
            let service = #"{"name": "Example Service", "runtimeEnvironment": {"OWN": "own-value-42"}}"#
            #expect(try await client.send(.post, "/v1/projects/demo/services", json: service).status == .ok)
            for path in [
                "/v1/projects/demo/secrets/example-secret", "/v1/projects/demo/secrets/example-secret/details",
                "/v1/projects/demo/services/example-service/runtime-environment?replaceTemplatedValues=true",
                "/v1/projects/demo/services/example-service/runtime-environment/details", "/v1/projects/demo/addons/example-addon",
            ] {
                #expect(try await client.send(.get, path).status == .ok, "\(path)")
            }
            let invalid = #"{"name": "Bad", "secretType": "environment", "priority": 1, "secrets": {"variables": {"X": {"v": "own-value-42"}}}}"#
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: invalid).status == .badRequest)
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: #"{"name": "production"#).status == .badRequest)
            #expect(try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"priority": 5}"#).status == .ok)
            // A token created over HTTP, used, revoked; the audit log read back.
            let created = try await client.send(.post, "/v1/tokens", json: #"{"name": "ci deploy", "role": "viewer"}"#)
            let secret = try #require(try created.data["secret"] as? String)
            issuedTokens.withLock { $0.append(secret) }
            let viewer: HTTPFields = [.authorization: "Bearer \(secret)"]
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/example-secret", headers: viewer).status == .ok)
            #expect(try await client.send(.get, "/v1/projects/demo/audit").status == .ok)
            let id = try #require((try created.data["token"] as? [String: Any])?["id"] as? String)
            #expect(try await client.send(.delete, "/v1/tokens/\(id)").status == .ok)
            #expect(try await client.send(.get, "/v1/projects", headers: viewer).status == .unauthorized)
        }
        let text = lines.text
        #expect(!lines.all.isEmpty, "trace logging produced lines, so the check below means something")
        let tokens = issuedTokens.withLock { $0 }
        #expect(tokens.count == 1)
        for value in secretValues + [ServerFixture.adminToken] + tokens {
            #expect(!text.contains(value), "a log line contains \(value.prefix(4))…")
        }
    }
}
