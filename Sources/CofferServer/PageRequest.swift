import Foundation
import Hummingbird

/// A list request's paging: `per_page` (default 50, larger than 100 clamped to 100), then `cursor` (opaque, from the
/// previous page) or `page` (1-based). A cursor names the last id seen, so it stays valid while groups come and go.
struct PageRequest {
    static let defaultPerPage = 50
    static let maximumPerPage = 100

    var perPage: Int
    var after: String?
    var offset: Int

    init(_ query: Parameters) throws {
        var details: [String: [String]] = [:]
        perPage = Self.defaultPerPage
        if let text = query["per_page"] {
            if let value = Self.perPage(text, maximum: Self.maximumPerPage) {
                perPage = value
            } else {
                details["per_page"] = ["must be a positive integer"]
            }
        }
        offset = 0
        if let text = query["page"] {
            if let value = Int(text), value >= 1 { offset = (value - 1) * perPage } else { details["page"] = ["must be a positive integer"] }
        }
        if let text = query["cursor"], !text.isEmpty {
            if let id = Self.id(fromCursor: String(text)) { after = id } else { details["cursor"] = ["is not a cursor this server issued"] }
        }
        guard details.isEmpty else { throw APIError(.badRequest, "Invalid paging parameters", details: details) }
    }

    /// A positive `per_page`, clamped to `maximum`, however many digits it has (a number too large for an `Int` is
    /// larger than the maximum too); nil for anything else.
    static func perPage(_ text: Substring, maximum: Int) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        guard let value = Int(text) else { return maximum }
        return value >= 1 ? min(value, maximum) : nil
    }

    /// The opaque cursor for the page after the item `id`: base64url of the id.
    static func cursor(after id: String) -> String {
        Data(id.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func id(fromCursor cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }
}
