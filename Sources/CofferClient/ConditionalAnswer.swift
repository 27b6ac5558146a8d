/// The answer to a conditional read (`If-None-Match`): the value and its tag, or word that it has not changed.
public enum ConditionalAnswer<Value: Sendable>: Sendable {
    /// The current value and its `ETag` (nil from a server that sends none: compare the values instead).
    case modified(Value, etag: String?)
    /// The value still has the tag that was sent (HTTP 304).
    case notModified
}

extension ConditionalAnswer: Equatable where Value: Equatable {}
