import CofferCore
import Hummingbird

/// Reads a JSON request body: 415 unless it is `application/json`, 413 over the size limit, 400 with the position
/// when it is not well-formed (strict RFC 8259, no duplicate member names).
struct RequestBodyParser: Sendable {
    var maximumBytes: Int
    var parser = JSONParser()

    func json(from request: Request) async throws -> JSONValue {
        guard let contentType = request.headers[.contentType], Self.isJSON(contentType) else {
            throw APIError(.unsupportedMediaType, "The request body must be JSON, sent with 'Content-Type: application/json'")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw Self.tooLarge(maximumBytes)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(maximumBytes)
        }
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "The request body is empty; a JSON object is required") }
        return try parser.parse(buffer.readableBytesView)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "The request body is larger than the limit of \(limit) bytes")
    }

    /// `application/json`, case-insensitively, with any parameters (`; charset=utf-8`) and optional white space (spaces
    /// and tabs, HTTP's) around it.
    static func isJSON(_ contentType: String) -> Bool {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while let first = mediaType.first, isWhitespace(first) { mediaType = mediaType.dropFirst() }
        while let last = mediaType.last, isWhitespace(last) { mediaType = mediaType.dropLast() }
        // ASCII letters fold to lower case; no other byte can make up "application/json".
        return mediaType.elementsEqual("application/json".utf8) { $0 | ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0) == $1 }
    }
}
