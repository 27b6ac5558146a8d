import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Links `entries` after the chain's head and inserts them, inside the batch's transaction: they commit with their
    /// changes or not at all. Locking the head row makes concurrent transactions (on any replica) append one after
    /// another; it is taken last, and the entries, the new head and the announcement of each change to the other
    /// replicas go in one statement, so the lock is held for one more round trip and the commit. Every change appends
    /// one entry, so this is where changes are announced (`pg_notify`, which PostgreSQL delivers on commit only).
    /// Answers the entries as stored.
    @discardableResult
    package func appendAudit(_ entries: [AuditEntry], on connection: PostgresConnection) async throws -> [AuditEntry] {
        guard !entries.isEmpty else { return [] }
        guard let head = try await connection.row("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger) else {
            throw StoreError(.corrupted, "The audit log has no head row")
        }
        let sequence: Int64 = try head["sequence"]
        // Each project's latest revision, read under the head's lock: no other transaction can number after it.
        let scopes = Array(Set(entries.compactMap { entry in entry.projectId.map { ProjectScope(team: entry.teamId, project: $0) } }))
        var current: [ProjectScope: Int64] = [:]
        if !scopes.isEmpty {
            let rows = try await connection.rows(
                """
                SELECT team_id, project_id, max(revision) AS revision FROM audit_entry
                WHERE (team_id, project_id) IN (SELECT * FROM unnest(\(scopes.map(\.teamId)), \(scopes.map(\.projectId))))
                GROUP BY team_id, project_id
                """,
                logger: logger
            )
            for row in rows {
                current[ProjectScope(team: try row["team_id"], project: try row["project_id"])] = try row["revision"] as Int64? ?? 0
            }
        }
        let linked = AuditChain.numbering(
            AuditChain.link(entries, after: sequence == 0 ? nil : (sequence: sequence, hash: try head["hash"])),
            after: current
        )
        guard let last = linked.last else { return [] }
        var binds = PostgresBindings()
        var rows: [String] = []
        for entry in linked {
            let first = binds.count + 1
            try binds.append(entry.sequence)
            try binds.append(entry.at.millisecondsSinceEpoch)
            try binds.append(entry.teamId)
            try binds.append(entry.projectId)
            try binds.append(entry.actor)
            try binds.append(entry.action.rawValue)
            try binds.append(entry.resourceType.rawValue)
            try binds.append(entry.resourceId)
            try binds.append(try StoredPayload.encode(entry.changedKeys))
            try binds.append(try StoredPayload.encode(entry.changedFields))
            try binds.append(entry.version)
            try binds.append(entry.revision)
            try binds.append(entry.route)
            try binds.append(entry.requestId)
            try binds.append(entry.previousHash)
            try binds.append(entry.hash)
            rows.append("(" + (first..<(first + 16)).map { "$\($0)" }.joined(separator: ", ") + ")")
        }
        try binds.append(last.sequence)
        try binds.append(last.hash)
        try binds.append(Self.changeChannel)
        try binds.append(try linked.map { try StoredJSON.encodeString(StoreChange($0, origin: origin)) })
        let count = binds.count
        // Only placeholders are spliced in; every value travels as a bind.
        let statement = PostgresQuery(
            unsafeSQL: """
                WITH inserted AS (
                    INSERT INTO audit_entry (sequence, at, team_id, project_id, actor, action, resource_type, resource_id,
                        changed_keys, changed_fields, version, revision, route, request_id, previous_hash, hash)
                    VALUES \(rows.joined(separator: ", "))
                ), head AS (
                    UPDATE audit_head SET sequence = $\(count - 3), hash = $\(count - 2) WHERE id = 1
                )
                SELECT pg_notify($\(count - 1), change) FROM unnest($\(count)::text[]) AS change
                """,
            binds: binds
        )
        try await connection.execute(statement, logger: logger)
        return linked
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
