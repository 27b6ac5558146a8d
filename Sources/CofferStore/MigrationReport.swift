/// What `StoreMigration` copied and how it checked the copy: per kind of record, the row count and a content digest
/// read back from each side. Digests cover ids, versions, timestamps and sealed bytes, never opened values.
public struct MigrationReport: Sendable {
    /// One kind of record (one table) on both sides.
    public struct Kind: Sendable {
        public let name: String
        public let sourceCount: Int
        public let targetCount: Int
        public let sourceDigest: String
        public let targetDigest: String

        public var matches: Bool { sourceCount == targetCount && sourceDigest == targetDigest }
    }

    public var kinds: [Kind]
    /// Whether the copy was committed: it is not when a digest differs (the transaction is rolled back instead).
    public var committed: Bool
    /// Records read back through both stores with their values opened and compared equal (tokens, projects, groups,
    /// addons, workloads, audit entries); zero when the copy was not committed.
    public var openedRecords = 0
    /// The first kind whose opened records differ between the stores, if any.
    public var openedMismatch: String?

    public var isVerified: Bool { committed && openedMismatch == nil && kinds.allSatisfy(\.matches) }
}
