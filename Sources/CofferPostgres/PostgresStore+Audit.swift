import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Locks the audit chain's head until the transaction ends, and answers it (nil while the log is empty). Every
    /// write transaction takes it first.
    package func lockAuditHead(on connection: PostgresConnection) async throws -> (sequence: Int64, hash: Data)? {
        var heads: [StoredRow] = []
        for try await row in try await connection.execute(AuditHeadLockStatement(), logger: logger) { heads.append(row) }
        guard let head = heads.first else { throw StoreError(.corrupted, "The audit log has no head row") }
        let sequence: Int64 = try head["sequence"]
        return sequence == 0 ? nil : (sequence, try head["hash"])
    }

    /// Applies `changes` (`applyTogether`), then links `entries` after `head` (which the transaction holds locked) and
    /// inserts them, inside the batch's transaction: they commit with their changes or not at all. The changes, the
    /// entries with their revisions, the new head and the announcement of each change to the other replicas go in one
    /// statement (`BatchWriteStatement`). Every change appends one entry, so this is where changes are announced.
    /// Answers the entries as stored.
    @discardableResult
    package func appendAudit(
        _ entries: [AuditEntry],
        after changes: [RowChange] = [],
        head: (sequence: Int64, hash: Data)?,
        on connection: PostgresConnection
    ) async throws -> [AuditEntry] {
        let rows = try await applyingAllButLast(changes, on: connection)
        guard !entries.isEmpty else {
            if !rows.isEmpty { _ = try await write(rows, entries: [], on: connection) }
            return []
        }
        var linked = AuditChain.link(entries, after: head)
        let revisions = try await write(rows, entries: linked, on: connection)
        for index in linked.indices {
            guard let revision = revisions[linked[index].sequence] else {
                throw StoreError(.corrupted, "Audit entry \(linked[index].sequence) was not stored")
            }
            linked[index].revision = revision
        }
        return linked
    }

    /// Sends one `BatchWriteStatement`; answers the revision each entry was given, by sequence.
    func write(_ rows: BatchWriteStatement.Rows, entries: [AuditEntry], on connection: PostgresConnection) async throws -> [Int64: Int64?] {
        let statement = BatchWriteStatement(
            rows: rows,
            entries: entries,
            announcements: try entries.map { try StoredJSON.encodeString(StoreChange($0, origin: origin)) },
            channel: Self.changeChannel
        )
        var revisions: [Int64: Int64?] = [:]
        for try await row in try await connection.execute(statement, logger: logger) { revisions[row.sequence] = row.revision }
        return revisions
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func filter(_ column: String, _ comparison: String, _ value: (some PostgresDynamicTypeEncodable)?) {
            guard let value else { return }
            try binds.append(value)
            conditions.append("\(column) \(comparison) $\(binds.count)")
        }
        filter("team_id", "=", query.teamId)
        filter("project_id", "=", query.projectId)
        filter("actor", "=", query.actor)
        filter("action", "=", query.action?.rawValue)
        filter("resource_type", "=", query.resourceType?.rawValue)
        filter("resource_id", "=", query.resourceId)
        filter("at", ">=", query.since?.millisecondsSinceEpoch)
        filter("at", "<", query.until?.millisecondsSinceEpoch)
        filter("sequence", ">", query.after)
        filter("revision", ">", query.afterRevision)
        try binds.append(query.limit)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // Only column names and placeholders are spliced in; every value travels as a bind.
        let statement = PostgresQuery(
            unsafeSQL: "SELECT * FROM audit_entry \(whereClause) ORDER BY sequence LIMIT $\(binds.count)",
            binds: binds
        )
        return try await read { connection in
            try await connection.rows(statement, logger: self.logger).map(Self.auditEntry(from:))
        }
    }

    public func latestRevision(in scope: ProjectScope) async throws -> Int64 {
        try await read { connection in
            try await connection.values(
                Int64.self,
                """
                SELECT coalesce(max(revision), 0) FROM audit_entry WHERE team_id = \(scope.teamId) AND project_id = \(scope.projectId)
                """,
                logger: self.logger
            ).first ?? 0
        }
    }

    package static func auditEntry(from row: StoredRow) throws -> AuditEntry {
        let sequence: Int64 = try row["sequence"]
        guard let action = AuditAction(rawValue: try row["action"]), let type = AuditResourceType(rawValue: try row["resource_type"]) else {
            throw StoreError(.corrupted, "Audit entry \(sequence) has an unknown action or resource type")
        }
        return AuditEntry(
            sequence: sequence,
            at: Timestamp(millisecondsSinceEpoch: try row["at"]),
            teamId: try row["team_id"],
            projectId: try row["project_id"],
            actor: try row["actor"],
            action: action,
            resourceType: type,
            resourceId: try row["resource_id"],
            changedKeys: try StoredJSON.decode([String].self, from: try row["changed_keys"] as String),
            changedFields: try StoredJSON.decode([String].self, from: try row["changed_fields"] as String),
            version: try row["version"],
            revision: try row["revision"],
            route: try row["route"],
            requestId: try row["request_id"],
            previousHash: try row["previous_hash"],
            hash: try row["hash"]
        )
    }
}
