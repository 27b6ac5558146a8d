import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import Testing

/// The change feed's revisions on every backend: each project's changes numbered 1, 2, 3, ... in sequence order,
/// without gaps or repeats, under concurrent writers to several projects; readable after a revision.
@Suite struct StoreChangeFeedConformanceTests {
    @Test(arguments: Backend.allCases)
    func revisionsAreGapFreePerProjectUnderConcurrentWriters(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let other = ProjectScope(team: "default", project: "other")
        _ = try await store.createProject(ProjectDefinition(name: "Other"), team: "default", at: .now())
        #expect(try await store.latestRevision(in: Fixtures.demo) == 1, "the project's creation is its first change")
        let writes = 30
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writes {
                for scope in [Fixtures.demo, other] {
                    group.addTask {
                        _ = try await store.putGroup(Fixtures.definition(name: "Group \(index % 7)", variables: ["N": "\(index)"]), in: scope, at: .now())
                    }
                }
            }
            try await group.waitForAll()
        }
        for scope in [Fixtures.demo, other] {
            let entries = try await store.auditEntries(AuditQuery(teamId: scope.teamId, projectId: scope.projectId, limit: 1000))
            #expect(entries.count == writes + 1)
            #expect(entries.map(\.revision) == (1...Int64(writes + 1)).map { $0 }, "\(scope.projectId): gap-free, in sequence order")
            #expect(try await store.latestRevision(in: scope) == Int64(writes + 1))
            let after = try await store.auditEntries(AuditQuery(teamId: scope.teamId, projectId: scope.projectId, afterRevision: 29, limit: 10))
            #expect(after.map(\.revision) == [30, 31])
        }
        // Team-level changes have no revision, and the chain's verifier checks every revision.
        let all = try await store.auditEntries(AuditQuery(limit: 1000))
        #expect(all.filter { $0.projectId == nil }.allSatisfy { $0.revision == nil })
        var verifier = AuditChain.Verifier()
        try verifier.check(all)
        #expect(try await store.latestRevision(in: ProjectScope(team: "default", project: "never")) == 0)
    }
}
