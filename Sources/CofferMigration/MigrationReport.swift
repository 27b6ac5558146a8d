/// What `StoreMigration` copied and how it checked the copy: per kind of record, the row count and a content digest
/// read back from each side. Digests cover ids, versions, timestamps and sealed bytes, never opened values.
public struct MigrationReport: Sendable {
    /// One kind of record (one table) on both sides.
    public struct Kind: Sendable {
        /// The table's name, the same in both schemas.
        public let name: String
        public let sourceCount: Int
        public let targetCount: Int
        /// Hex SHA-256 over the rows in primary key order (see `ContentDigest`).
        public let sourceDigest: String
        public let targetDigest: String

        /// Whether both sides have the same count and digest.
        public var matches: Bool { sourceCount == targetCount && sourceDigest == targetDigest }
    }

    /// Every copied table in copy order, then `audit_head`.
    public var kinds: [Kind]
    /// Whether the copy was committed: it is not when a digest differs (the transaction is rolled back instead).
    public var committed: Bool
    /// Records read back through both stores with their values opened and compared equal (tokens, projects, groups,
    /// addons, workloads, audit entries); zero when the copy was not committed.
    public var openedRecords = 0
    /// The first kind whose opened records differ between the stores, if any.
    public var openedMismatch: String?

    /// Whether the copy was committed and every check passed: what `coffer migrate` exits 0 on.
    public var isVerified: Bool { committed && openedMismatch == nil && kinds.allSatisfy(\.matches) }
}
