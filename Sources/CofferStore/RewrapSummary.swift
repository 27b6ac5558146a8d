/// What re-wrapping the data keys under the primary master key did. Key ids only, never key material.
public struct RewrapSummary: Sendable, Hashable {
    /// Data keys re-wrapped.
    public var rewrapped: Int
    /// The master key ids that wrapped something (a data key or the check value) before, sorted.
    public var previousKeyIDs: [String]
    /// The id of the primary key everything is wrapped by now.
    public var primaryKeyID: String

    /// True when everything was already under the primary.
    public var didNothing: Bool { rewrapped == 0 && previousKeyIDs.isEmpty }
}
