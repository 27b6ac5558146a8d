import CofferCore
import Foundation
import Hummingbird

/// Builds JSON responses: sorted keys so answers are stable, slashes unescaped so file paths read as written.
enum JSONResponse {
    /// With `withholdingValues`, every value in the payload is written as `null` (see `CodingUserInfoKey.withholdsValues`).
    static func make(
        _ payload: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        withholdingValues: Bool = false
    ) -> Response {
        make(body: encode(payload, withholdingValues: withholdingValues), status: status, headers: headers)
    }

    /// A response with an already encoded body (such as one a snapshot cached).
    static func make(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    static func encode(_ payload: some Encodable, withholdingValues: Bool = false) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if withholdingValues { encoder.userInfo[.withholdsValues] = true }
        // Our wire types encode only strings, numbers and booleans; a failure here is a programming error.
        return ByteBuffer(bytes: try! encoder.encode(payload))
    }
}
