import CofferAPI

/// An error answer from the server: its status, message, details by JSON path and request id.
public struct APIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var details: [String: [String]]
    public var requestId: String?

    public init(status: Int, message: String, details: [String: [String]] = [:], requestId: String? = nil) {
        self.status = status
        self.message = message
        self.details = details
        self.requestId = requestId
    }

    /// The message and, for validation errors, every field with its rules.
    public var description: String {
        let fields = details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: "; "))" }
        return fields.isEmpty ? "\(message) (HTTP \(status))" : "\(message) (HTTP \(status)): \(fields.joined(separator: ", "))"
    }
}

/// The server could not be reached, or answered something that is not Coffer's API.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
