import CofferCore
import CofferCrypto
import Foundation
import GRDB

extension SQLiteStore {
    /// Links `entry` after the last one and inserts it, inside the caller's write transaction: the entry commits
    /// with the change or not at all, and SQLite's single writer keeps the chain linear.
    func appendAudit(_ entry: AuditEntry, db: Database) throws {
        let last = try Row.fetchOne(try db.cachedStatement(sql: "SELECT sequence, hash FROM audit_entry ORDER BY sequence DESC LIMIT 1"))
        let linked = AuditChain.link(entry, after: last.map { (sequence: $0["sequence"], hash: $0["hash"]) })
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_entry (sequence, at, team_id, project_id, actor, action, resource_type, resource_id,
                    changed_keys, changed_fields, route, request_id, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                linked.sequence, linked.at.millisecondsSinceEpoch, linked.teamId, linked.projectId, linked.actor, linked.action.rawValue,
                linked.resourceType.rawValue, linked.resourceId, try StoredJSON.encodeString(linked.changedKeys),
                try StoredJSON.encodeString(linked.changedFields), linked.route, linked.requestId, linked.previousHash, linked.hash,
            ]
        )
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func filter(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments.append(value)
        }
        filter("team_id = ?", query.teamId)
        filter("project_id = ?", query.projectId)
        filter("actor = ?", query.actor)
        filter("action = ?", query.action?.rawValue)
        filter("resource_type = ?", query.resourceType?.rawValue)
        filter("resource_id = ?", query.resourceId)
        filter("at >= ?", query.since?.millisecondsSinceEpoch)
        filter("at < ?", query.until?.millisecondsSinceEpoch)
        filter("sequence > ?", query.after)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(query.limit)
        let statementArguments = StatementArguments(arguments)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_entry \(whereClause) ORDER BY sequence LIMIT ?", arguments: statementArguments)
                .map(Self.auditEntry(from:))
        }
    }

    static func auditEntry(from row: Row) throws -> AuditEntry {
        guard let action = AuditAction(rawValue: row["action"]), let type = AuditResourceType(rawValue: row["resource_type"]) else {
            throw StoreError(.corrupted, "Audit entry \(row["sequence"] as Int64) has an unknown action or resource type")
        }
        return AuditEntry(
            sequence: row["sequence"],
            at: Timestamp(millisecondsSinceEpoch: row["at"]),
            teamId: row["team_id"],
            projectId: row["project_id"],
            actor: row["actor"],
            action: action,
            resourceType: type,
            resourceId: row["resource_id"],
            changedKeys: try StoredJSON.decode([String].self, from: row["changed_keys"] as String),
            changedFields: try StoredJSON.decode([String].self, from: row["changed_fields"] as String),
            route: row["route"],
            requestId: row["request_id"],
            previousHash: row["previous_hash"],
            hash: row["hash"]
        )
    }
}
