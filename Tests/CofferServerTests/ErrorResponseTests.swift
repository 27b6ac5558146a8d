import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Section 1 of the contract: authentication, the error envelope, content types and limits.
@Suite struct ErrorResponseTests {
    @Test func healthIsOpenAndNamesTheStore() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.router) { client in
            let response = try await client.execute(uri: "/v1/health", method: .get)
            #expect(response.status == .ok)
            #expect(try response.data["status"] as? String == "ok")
            #expect(try response.data["store"] as? String == "sqlite")
        }
    }

    @Test(
        arguments: [
            (nil, "Missing authentication: send 'Authorization: Bearer <token>'"),
            ("Bearer coffer_not-a-real-token-000000000000000000000000", "The token used to authenticate is not valid"),
            ("Basic dXNlcjpwYXNz", "The Authorization header must be 'Bearer <token>'"),
            ("Bearer", "The Authorization header must be 'Bearer <token>'"),
        ] as [(String?, String)]
    )
    func missingOrUnknownTokenIs401WithTheEnvelope(authorization: String?, message: String) async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json, headers: headers)
            #expect(response.status == .unauthorized)
            let error = try response.error
            #expect(error["status"] as? Int == 401)
            #expect(error["message"] as? String == message)
            let requestID = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
            #expect(error["id"] as? String == requestID)
            #expect(!requestID.isEmpty)
        }
    }

    @Test func validationErrorsListEveryProblemByPath() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let body = #"""
                {"name": "x", "secretType": "runtime", "priority": 1.5, "colour": "red",
                 "restrictions": {"nfObjects": [{"id": "svc", "type": "pod"}]},
                 "secrets": {"variables": {"GOOD": "fine", "BAD": null}}}
                """#
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: body)
            #expect(response.status == .badRequest)
            let error = try response.error
            #expect(error["status"] as? Int == 400)
            let details = try #require(error["details"] as? [String: [String]])
            #expect(details["name"] == ["must be at least 3 characters long"])
            #expect(details["secretType"] == ["must be one of: environment, arguments, environment-arguments"])
            #expect(details["priority"] == ["must be an integer"])
            #expect(details["colour"] == ["is not a known field"])
            #expect(details["restrictions.nfObjects[0].type"] == ["must be one of: service, job"])
            #expect(details["secrets.variables.BAD"] == ["must be a string, number or boolean"])
            #expect(details.count == 6)
        }
    }

    @Test func errorsNeverEchoValues() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let secret = "hunter2-do-not-leak"
            let bodies = [
                #"{"name": "Leaky", "secretType": "environment", "priority": 1, "secrets": {"variables": {"K": {"v": "\#(secret)"}}}}"#,
                #"{"name": "Leaky", "secretType": "environment", "priority": 1, "secrets": {"variables": {"K": "\#(secret)"}"#,
                #"{"name": "Leaky", "secretType": "environment", "priority": 1, "secrets": {"files": {"/f": {"data": "\#(secret)"}}}}"#,
                #"{"name": "\#(secret) !", "secretType": "environment", "priority": 1}"#,
            ]
            for body in bodies {
                let response = try await client.send(.put, "/v1/projects/demo/secrets", json: body)
                #expect(response.status == .badRequest)
                #expect(!response.text.contains(secret))
            }
        }
    }

    @Test(arguments: [
        (#"{"name": "Example", }"#, 1, 21),
        ("{\n  \"name\": \"Example\",\n  \"priority\": 01\n}", 3, 16),
        (#"{"a": 1, "a": 2}"#, 1, 10),
        ("", 0, 0),
    ])
    func malformedJSONIs400WithThePosition(body: String, line: Int, column: Int) async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: body)
            #expect(response.status == .badRequest)
            let message = try #require(try response.error["message"] as? String)
            if line > 0 {
                #expect(message.hasPrefix("Malformed JSON at line \(line), column \(column):"), "\(message)")
            } else {
                #expect(message == "The request body is empty; a JSON object is required")
            }
        }
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "application/ json", "application/json-seq", "", nil] as [String?])
    func nonJSONBodyIs415(contentType: String?) async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            var headers: HTTPFields = [.authorization: "Bearer \(ServerFixture.adminToken)"]
            if let contentType { headers[.contentType] = contentType }
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json, headers: headers)
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.error["status"] as? Int == 415)
        }
    }

    @Test(arguments: ["Application/JSON; charset=utf-8", "application/json", " application/json ;charset=utf-8", "\tAPPLICATION/json"])
    func jsonWithCharsetIsAccepted(contentType: String) async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(ServerFixture.adminToken)", .contentType: contentType]
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json, headers: headers)
            #expect(response.status == .ok)
        }
    }

    @Test func bodyOverTheLimitIs413OverARealSocket() async throws {
        var fixture = try await ServerFixture.sqlite()
        fixture.configuration.maximumRequestBodyBytes = 4096
        try await fixture.application().test(.live) { client in
            let padded = ReferenceBody.replacing(#""NODE_ENV": "production""#, with: #""NODE_ENV": "\#(String(repeating: "p", count: 5000))""#)
            let response = try await client.send(.put, "/v1/projects/demo/secrets", json: padded)
            #expect(response.status == .contentTooLarge)
            #expect(try response.error["message"] as? String == "The request body is larger than the limit of 4096 bytes")
            let fits = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(fits.status == .ok)
        }
    }

    @Test func unknownRouteIsA404Envelope() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.get, "/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(try response.error["status"] as? Int == 404)
        }
    }
}
