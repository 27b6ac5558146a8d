import Foundation

/// A request body: JSON bytes as given (from a file, say), or a value encoded to JSON.
public struct JSONBody: Sendable {
    public let data: Data

    /// Bytes already holding JSON; sent as they are (the server validates them).
    public init(json data: Data) {
        self.data = data
    }

    /// JSON text.
    public init(_ text: String) {
        data = Data(text.utf8)
    }

    /// A value encoded with `JSONEncoder`.
    public init(encoding value: some Encodable) throws {
        data = try JSONEncoder().encode(value)
    }
}
