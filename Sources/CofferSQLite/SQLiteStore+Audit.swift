import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import GRDB

extension SQLiteStore {
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
        filter("revision > ?", query.afterRevision)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(query.limit)
        let statementArguments = StatementArguments(arguments)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_entry \(whereClause) ORDER BY sequence LIMIT ?", arguments: statementArguments)
                .map(Self.auditEntry(from:))
        }
    }

    public func latestRevision(in scope: ProjectScope) async throws -> Int64 {
        try await pool.read { try Self.latestRevision(in: scope, db: $0) }
    }

    package static func latestRevision(in scope: ProjectScope, db: Database) throws -> Int64 {
        var statement = try HotStatement(db, sql: "SELECT coalesce(max(revision), 0) FROM audit_entry WHERE team_id = ? AND project_id = ?")
        statement.bind(scope.teamId)
        statement.bind(scope.projectId)
        return try statement.next() ? statement.int64(0) : 0
    }

    package static func auditEntry(from row: Row) throws -> AuditEntry {
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
            version: row["version"],
            revision: row["revision"],
            route: row["route"],
            requestId: row["request_id"],
            previousHash: row["previous_hash"],
            hash: row["hash"]
        )
    }
}
