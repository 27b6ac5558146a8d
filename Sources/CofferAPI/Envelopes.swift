/// The success envelope of every response: `{"data": ...}`.
public struct DataEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    public var data: Payload

    public init(data: Payload) {
        self.data = data
    }
}

/// The error envelope of every non-2xx response.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    /// The body of an error: status, a human sentence, the request id and, for validation errors, messages by JSON path.
    public struct Body: Codable, Sendable, Equatable {
        public var status: Int
        public var message: String
        public var id: String
        public var details: [String: [String]]?

        public init(status: Int, message: String, id: String, details: [String: [String]]? = nil) {
            self.status = status
            self.message = message
            self.id = id
            self.details = details
        }
    }

    public var error: Body

    public init(error: Body) {
        self.error = error
    }
}

/// An empty `data` object, as in `{"data": {}}`.
public struct EmptyPayload: Codable, Sendable, Equatable {
    public init() {}
}
