import CofferCore
import Foundation
import Hummingbird

/// Builds JSON responses: sorted keys so answers are stable, slashes unescaped so file paths read as written.
enum JSONResponse {
    /// With `withholdingValues`, every value in the payload is written as `null` (see `CodingUserInfoKey.withholdsValues`).
    /// A payload that cannot be encoded is answered as a 500 with the error envelope.
    static func make(
        _ payload: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        withholdingValues: Bool = false
    ) -> Response {
        make(body: encode(payload, withholdingValues: withholdingValues), status: status, headers: headers)
    }

    /// A response with an already encoded body (such as one a snapshot cached). The body `encode` gives for a payload it
    /// could not encode is answered as the 500 it stands for, whatever `status` says.
    static func make(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let status = body == unencodable ? .internalServerError : status
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    /// The payload's JSON; `unencodable` if it cannot be encoded.
    ///
    /// Our wire types encode only strings, integers and booleans, so a failure is a programming error (a floating-point
    /// NaN would be one); it must cost that one answer, not the whole server, as the `try!` this replaces did.
    static func encode(_ payload: some Encodable, withholdingValues: Bool = false) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if withholdingValues { encoder.userInfo[.withholdsValues] = true }
        guard let data = try? encoder.encode(payload) else { return unencodable }
        return ByteBuffer(bytes: data)
    }

    /// The error envelope of a 500, written out by hand because it is what is sent when encoding failed. Its `id` is
    /// empty: the request id is in the `X-Request-Id` header, which the error middleware sets on every answer.
    static let unencodable = ByteBuffer(
        string: #"{"error":{"id":"","message":"Internal server error: the answer could not be encoded","status":500}}"#
    )
}
