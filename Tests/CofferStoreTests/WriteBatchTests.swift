import CofferCore
import CofferTestSupport
import Foundation
import PropertyBased
import Testing

@testable import CofferStore

/// `WriteBatch` runs a batch's writes on rows read together and applies their changes together. Whatever the writes,
/// each must decide on exactly the rows it would have seen had the writes before it run one by one, and the database
/// must end as one-by-one would leave it.
@Suite struct WriteBatchTests {
    static let scope = ProjectScope(team: "t", project: "p")

    /// One write of the generated batches: it reads its target group (and maybe another), and writes the target as
    /// the target's value, the other's value and its own tag joined, or refuses; or, blind, deletes the target without
    /// reading anything.
    struct Operation: Sendable, CustomStringConvertible {
        var target: Int
        var alsoReads: Int?
        var refuses: Bool
        var tag: String
        var blindDelete = false

        var description: String {
            blindDelete
                ? "\(tag): delete g\(target) unread"
                : "\(tag): write g\(target)\(alsoReads.map { " reading g\($0)" } ?? "")\(refuses ? ", refused" : "")"
        }

        var write: StoreWrite {
            if blindDelete {
                let id = "g\(target)"
                return StoreWrite(reads: []) { _ in WriteDecision(answer: "deleted", changes: [.deleteGroup(WriteBatchTests.scope, id: id)]) }
            }
            let target = RowKey.group(WriteBatchTests.scope, id: "g\(target)")
            let other = alsoReads.map { RowKey.group(WriteBatchTests.scope, id: "g\($0)") }
            let tag = tag
            let refuses = refuses
            return StoreWrite(reads: [target] + (other.map { [$0] } ?? [])) { rows in
                if refuses { throw StoreError.versionMismatch }
                let current = rows.group(target)
                let seen = other.map { rows.group($0)?.name ?? "-" } ?? ""
                let value = (current?.name ?? "") + "[" + seen + tag + "]"
                let row = WriteBatchTests.row(id: "g\(self.target)", value: value, version: (current?.version ?? 0) + 1)
                return WriteDecision(answer: value, changes: [current == nil ? .insertGroup(row) : .updateGroup(row)])
            }
        }
    }

    static func row(id: String, value: String, version: Int) -> GroupRow {
        GroupRow(
            scope: scope, id: id, name: value, description: nil, type: "secret", secretType: "environment", priority: 0, tags: "[]",
            stageId: nil, restrictions: "{}", addonDependencies: "[]", externalAddonDependencies: "[]", sealedValues: Data(),
            dataKeyGeneration: 1, version: version, createdAt: 0, updatedAt: 0
        )
    }

    /// Groups by id, applying changes as a database would: an insert of an existing row or an update of a missing one
    /// is an error. Like one PostgreSQL statement, it applies the changes it is given in no set order (here: last
    /// first), so a batch that handed it two changes to one row at once would be caught.
    final class Database: @unchecked Sendable {
        var groups: [String: GroupRow] = [:]
        var loads = 0
        var applies = 0

        func load(_ keys: [RowKey]) -> LoadedRows {
            loads += 1
            var rows = LoadedRows()
            for key in keys {
                guard case .group(_, let id) = key else { continue }
                rows[key] = .group(groups[id])
            }
            return rows
        }

        func apply(_ changes: [RowChange]) throws {
            applies += 1
            for change in changes.reversed() {
                switch change {
                case .insertGroup(let row):
                    guard groups[row.id] == nil else { throw StoreError(.corrupted, "\(row.id) inserted twice") }
                    groups[row.id] = row
                case .updateGroup(let row):
                    guard groups[row.id] != nil else { throw StoreError(.corrupted, "\(row.id) updated before it exists") }
                    groups[row.id] = row
                case .deleteGroup(_, let id):
                    groups[id] = nil
                default:
                    throw StoreError(.corrupted, "unexpected change")
                }
            }
        }
    }

    /// Each write's answer (or "refused") and the database, running the writes one by one.
    static func oneByOne(_ operations: [Operation]) throws -> ([String], [String: GroupRow]) {
        let database = Database()
        var answers: [String] = []
        for operation in operations {
            let write = operation.write
            do {
                let decision = try write.decide(database.load(write.reads))
                try database.apply(decision.changes)
                answers.append(decision.answer as! String)
            } catch is StoreError {
                answers.append("refused")
            }
        }
        return (answers, database.groups)
    }

    static func batched(_ operations: [Operation]) async throws -> (answers: [String], groups: [String: GroupRow], database: Database) {
        let database = Database()
        let writes = operations.map(\.write)
        let outcome = try await WriteBatch.run(
            writes,
            in: Array(writes.indices),
            load: { database.load($0) },
            apply: { try database.apply($0) }
        )
        try database.apply(outcome.unapplied)
        let answers = outcome.results.map { result -> String in
            switch result {
            case .success(let decision): decision.answer as! String
            case .failure: "refused"
            }
        }
        return (answers, database.groups, database)
    }

    static let operations = Generator<[Operation], Shrink.None<[Operation]>> { rng in
        (0..<Int.random(in: 1...14, using: &rng)).map { index in
            Operation(
                target: Int.random(in: 0..<4, using: &rng),
                alsoReads: Bool.random(using: &rng) ? Int.random(in: 0..<4, using: &rng) : nil,
                refuses: Int.random(in: 0..<6, using: &rng) == 0,
                tag: "w\(index)",
                blindDelete: Int.random(in: 0..<5, using: &rng) == 0
            )
        }
    }

    @Test("a batch decides and stores exactly what its writes would one by one")
    func batchesMatchOneByOne() async {
        await propertyCheck(count: 500, input: Self.operations) { operations in
            let expected = try Self.oneByOne(operations)
            let batched = try await Self.batched(operations)
            #expect(batched.answers == expected.0, "\(operations)")
            #expect(batched.groups == expected.1, "\(operations)")
        }
    }

    @Test func writesToDistinctRowsReadOnceAndApplyNothingBeforeTheEnd() async throws {
        let operations = (0..<4).map { Operation(target: $0, alsoReads: nil, refuses: false, tag: "w\($0)") }
        let batched = try await Self.batched(operations)
        #expect(batched.database.loads == 1)
        // Only the final apply of the test itself.
        #expect(batched.database.applies == 1)
    }

    @Test func aWriteReadingWhatAnEarlierOneChangedSeesItAndTheRestIsReadAgain() async throws {
        let operations = [
            Operation(target: 0, alsoReads: nil, refuses: false, tag: "a"),
            Operation(target: 1, alsoReads: 0, refuses: false, tag: "b"),
            Operation(target: 2, alsoReads: nil, refuses: false, tag: "c"),
        ]
        let batched = try await Self.batched(operations)
        #expect(batched.answers == ["[a]", "[[a]b]", "[c]"])
        #expect(batched.database.loads == 2)
        // The first write's change before the second decides, then the rest at the end.
        #expect(batched.database.applies == 2)
    }

    @Test func aRefusedWriteChangesNothingAndTheOthersLand() async throws {
        let operations = [
            Operation(target: 0, alsoReads: nil, refuses: false, tag: "a"),
            Operation(target: 0, alsoReads: nil, refuses: true, tag: "b"),
            Operation(target: 1, alsoReads: nil, refuses: false, tag: "c"),
        ]
        let batched = try await Self.batched(operations)
        #expect(batched.answers == ["[a]", "refused", "[c]"])
        #expect(batched.groups.mapValues(\.name) == ["g0": "[a]", "g1": "[c]"])
    }
}

@Suite struct RowAddressTests {
    let scope = ProjectScope(team: "t", project: "p")
    let other = ProjectScope(team: "t", project: "q")

    func overlaps(_ key: RowKey, _ change: RowChange) -> Bool {
        var set = RowAddressSet()
        set.insert(contentsOf: change.addresses)
        return set.overlaps(key.addresses)
    }

    @Test func oneRowMeetsItselfAndTheCollectionsHoldingIt() {
        let change = RowChange.updateGroup(WriteBatchTests.row(id: "a", value: "", version: 2))
        #expect(overlaps(.group(scope, id: "a"), change))
        #expect(overlaps(.groups(scope), change))
        #expect(overlaps(.groupSummaries(scope, after: nil, offset: 0, limit: 10), change))
        #expect(overlaps(.rowsSealedUnderOlderKeys(scope, limit: 10), change))
        #expect(!overlaps(.group(scope, id: "b"), change))
        #expect(!overlaps(.group(other, id: "a"), change))
        #expect(!overlaps(.project(scope), change))
        #expect(!overlaps(.latestGroupVersion(scope, id: "a"), change))
    }

    @Test func aVersionMeetsItsGroupsHistoryOnly() {
        let version = GroupVersionRow(
            scope: scope, groupId: "a", version: 3, action: "update", at: 0, actor: "x", changedKeys: "[]", changedFields: "[]", group: nil
        )
        let change = RowChange.insertGroupVersion(version)
        #expect(overlaps(.latestGroupVersion(scope, id: "a"), change))
        #expect(overlaps(.historyAsOf(scope, at: 0), change))
        #expect(overlaps(.expiredVersions(keepVersions: 1, deletedBefore: 0, limit: 1, among: nil), change))
        #expect(!overlaps(.latestGroupVersion(scope, id: "b"), change))
        #expect(!overlaps(.group(scope, id: "a"), change))
    }

    @Test func aProjectsDeletionMeetsEverythingInIt() {
        let change = RowChange.deleteProject(scope)
        #expect(overlaps(.group(scope, id: "a"), change))
        #expect(overlaps(.addon(scope, kind: "addon", id: "x"), change))
        #expect(overlaps(.project(scope), change))
        #expect(!overlaps(.group(other, id: "a"), change))
        #expect(change.mayChangeProjectRows)
    }

    @Test func addonsAndWorkloadsOfOneIdButAnotherKindAreOtherRows() {
        let addon = AddonRow(
            scope: scope, kind: "addon", id: "x", name: "x", type: "postgresql", versionLabel: nil, sealedCredentials: Data(),
            dataKeyGeneration: 1, version: 1, createdAt: 0, updatedAt: 0
        )
        #expect(overlaps(.addon(scope, kind: "addon", id: "x"), .updateAddon(addon)))
        #expect(!overlaps(.addon(scope, kind: "external-addon", id: "x"), .updateAddon(addon)))
        #expect(!overlaps(.workload(scope, kind: "addon", id: "x"), .updateAddon(addon)))
        #expect(!RowChange.updateAddon(addon).mayChangeProjectRows)
        #expect(RowChange.setDataKeyGeneration(scope, generation: 2).mayChangeProjectRows)
    }
}
