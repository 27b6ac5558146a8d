import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

extension ServerProcess {
    /// One JSON request to a live server on `port`, on a connection of its own.
    static func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        port: Int,
        token: String,
        body: String? = nil
    ) async throws -> TestClient.Response {
        let client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        let response = try await request(method, path, on: client, token: token, body: body)
        try await client.shutdown()
        return response
    }

    /// One JSON request on a client already connected: a kept-alive connection for a test that makes many.
    static func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        on client: TestClient,
        token: String,
        body: String? = nil
    ) async throws -> TestClient.Response {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let body { headers[.contentLength] = String(body.utf8.count) }
        return try await client.execute(.init(path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
    }
}
