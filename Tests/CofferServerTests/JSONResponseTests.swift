import Foundation
import Hummingbird
import Testing

@testable import CofferServer

/// A payload JSON cannot express costs its own answer (a 500 with the error envelope), never the server.
@Suite struct JSONResponseTests {
    struct Reading: Encodable {
        let value: Double
    }

    @Test func anUnencodablePayloadIsA500EnvelopeInsteadOfACrash() throws {
        let response = JSONResponse.make(Reading(value: .nan))
        #expect(response.status == .internalServerError)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        let body = try #require(Self.object(JSONResponse.encode(Reading(value: .infinity))))
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["status"] as? Int == 500)
        #expect(error["message"] as? String == "Internal server error: the answer could not be encoded")
    }

    @Test func aCachedUnencodableBodyIsStillA500() {
        // Controllers encode once and cache the body, then answer it with `make(body:)` and the default 200.
        #expect(JSONResponse.make(body: JSONResponse.encode(Reading(value: .nan))).status == .internalServerError)
        #expect(JSONResponse.make(body: JSONResponse.encode(Reading(value: 1.5))).status == .ok)
    }

    static func object(_ buffer: ByteBuffer) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
    }
}
