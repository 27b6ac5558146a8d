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
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let body { headers[.contentLength] = String(body.utf8.count) }
        let response = try await client.execute(.init(path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
        try await client.shutdown()
        return response
    }
}
