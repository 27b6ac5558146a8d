import CofferCrypto
@testable import CofferPostgres
import CofferPostgresTestSupport
import CofferStore
import Foundation
import PostgresNIO
import Testing

/// The write path's prepared statements are planned once per connection (`plan_cache_mode=force_generic_plan`), and a
/// plan made while `secret_group` is small is kept as the table grows. These plans are made on a new, empty schema,
/// where a join would be a hash join over a whole scan of the table: every group a batch reads or updates must still
/// be found through the primary key. (Deletes keep a join whose hash table holds only the deleted keys.)
@Suite(.enabled(if: PostgresTestDatabase.url != nil, Comment(rawValue: PostgresTestDatabase.skipNote)))
struct PostgresWritePlanTests {
    @Test func theBatchReadFindsGroupsAndVersionsByKeyOnAnEmptyTable() async throws {
        let plan = try await Self.genericPlan(of: GroupWriteRowsStatement.sql, arguments: Array(repeating: "'{}'", count: 8))
        #expect(Self.scans(of: "secret_group", in: plan).allSatisfy { $0.node != "Seq Scan" }, "\(plan)")
        #expect(Self.scans(of: "secret_group", in: plan).contains { $0.node == "Index Scan" && $0.index == "secret_group_pkey" })
        #expect(Self.scans(of: "group_version", in: plan).allSatisfy { $0.node != "Seq Scan" }, "\(plan)")
    }

    @Test func theBatchWriteUpdatesGroupsThroughThePrimaryKeyOnAnEmptyTable() async throws {
        let arguments = (1...82).map { number in
            switch number {
            case 76, 77: "NULL"
            case 78: "'coffer_changes'"
            default: "'{}'"
            }
        }
        let plan = try await Self.genericPlan(of: BatchWriteStatement.sql, arguments: arguments)
        let outsideDeletes = Self.scans(of: "secret_group", in: plan, skippingDeletes: true)
        #expect(outsideDeletes.allSatisfy { $0.node != "Seq Scan" }, "\(plan)")
        #expect(Self.modifications(of: "secret_group", in: plan).contains { $0.operation == "Insert" && $0.arbiters == ["secret_group_pkey"] })
        #expect(!Self.modifications(of: "secret_group", in: plan).contains { $0.operation == "Update" }, "updates are an upsert, not a join")
    }

    /// The plan PostgreSQL keeps for `sql`, as `EXPLAIN (FORMAT JSON)` answers it, made on a store's own connection (so
    /// with its settings) in a new schema whose tables are empty.
    static func genericPlan(of sql: String, arguments: [String]) async throws -> [String: Any] {
        let store = try await PostgresTestDatabase.makeStore(keyring: MasterKeyring(primary: .generate()))
        let text = try await store.read { connection in
            let logger = Logger(label: "coffer.tests.plans")
            try await connection.query(PostgresQuery(unsafeSQL: "PREPARE coffer_plan_check AS \(sql)"), logger: logger)
            var text = ""
            let explain = "EXPLAIN (FORMAT JSON) EXECUTE coffer_plan_check(\(arguments.joined(separator: ", ")))"
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: explain), logger: logger) {
                text += String(buffer: try row.decode(ByteBuffer.self))
            }
            try await connection.query("DEALLOCATE coffer_plan_check", logger: logger)
            return text
        }
        let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        return try #require(document?.first?["Plan"] as? [String: Any])
    }

    /// Every node of `plan` that reads `relation`, with its index if any.
    static func scans(of relation: String, in plan: [String: Any], skippingDeletes: Bool = false) -> [(node: String, index: String?)] {
        var found: [(node: String, index: String?)] = []
        if plan["Relation Name"] as? String == relation, let node = plan["Node Type"] as? String, node != "ModifyTable" {
            found.append((node, plan["Index Name"] as? String))
        }
        if skippingDeletes, plan["Node Type"] as? String == "ModifyTable", plan["Operation"] as? String == "Delete" { return found }
        for child in plan["Plans"] as? [[String: Any]] ?? [] {
            found += scans(of: relation, in: child, skippingDeletes: skippingDeletes)
        }
        return found
    }

    /// Every insert, update or delete of `relation` in `plan`, with the unique indexes an `ON CONFLICT` checks.
    static func modifications(of relation: String, in plan: [String: Any]) -> [(operation: String, arbiters: [String])] {
        var found: [(operation: String, arbiters: [String])] = []
        if plan["Node Type"] as? String == "ModifyTable", plan["Relation Name"] as? String == relation {
            found.append((plan["Operation"] as? String ?? "", plan["Conflict Arbiter Indexes"] as? [String] ?? []))
        }
        for child in plan["Plans"] as? [[String: Any]] ?? [] {
            found += modifications(of: relation, in: child)
        }
        return found
    }
}
