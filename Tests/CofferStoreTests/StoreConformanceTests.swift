import CofferCore
import CofferStore
import Foundation
import Testing

/// The semantics every storage backend must share.
@Suite struct StoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func bootstrapIsOnceAndTokensAreFoundByHash(backend: Backend) async throws {
        let store = try await backend.makeStore()
        #expect(try await store.isEmpty() == false)
        #expect(try await store.token(hash: Fixtures.token.secretHash) == Fixtures.token)
        #expect(try await store.token(hash: Data(repeating: 8, count: 32)) == nil)
        await #expect(throws: StoreError.self) { try await store.bootstrap(team: Fixtures.team, token: Fixtures.token) }
    }

    @Test(arguments: Backend.allCases)
    func projectsAreCreatedListedAndDeletedPerTeam(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let alpha = try await store.createProject(ProjectDefinition(name: "Alpha Project", description: "First"), team: "default", at: Fixtures.t0)
        #expect(alpha.id == "alpha-project")
        #expect(alpha.description == "First")
        let error = await #expect(throws: StoreError.self) {
            try await store.createProject(ProjectDefinition(name: "ALPHA-project"), team: "default", at: Fixtures.t0)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try await store.projects(team: "default").map(\.id) == ["alpha-project", "demo"])
        #expect(try await store.project(ProjectScope(team: "default", project: "alpha-project")) == alpha)
        #expect(try await store.project(ProjectScope(team: "other", project: "alpha-project")) == nil)
        #expect(try await store.deleteProject(ProjectScope(team: "default", project: "alpha-project")))
        #expect(try await store.deleteProject(ProjectScope(team: "default", project: "alpha-project")) == false)
        #expect(try await store.projects(team: "default").map(\.id) == ["demo"])
    }

    @Test(arguments: Backend.allCases)
    func putCreatesThenReplacesWholesaleKeepingCreatedAt(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let t1 = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 1000)
        let (created, createOutcome) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        #expect(createOutcome == .created)
        #expect(created.id == "example-secret")
        #expect(created.version == 1)
        #expect(created.createdAt == Fixtures.t0 && created.updatedAt == Fixtures.t0)

        var replacement = SecretGroupDefinition(name: "example secret", secretType: .arguments, priority: 50)
        replacement.secrets.variables = ["ONLY": "this"]
        let (updated, updateOutcome) = try await store.putGroup(replacement, in: Fixtures.demo, at: t1)
        #expect(updateOutcome == .updated)
        #expect(updated.definition == replacement)
        #expect(updated.version == 2)
        #expect(updated.createdAt == Fixtures.t0)
        #expect(updated.updatedAt == t1)
        #expect(try await store.group(id: "example-secret", in: Fixtures.demo) == updated)
    }

    @Test(arguments: Backend.allCases)
    func unchangedPutIsANoOp(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let (created, _) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        let later = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 60_000)
        let (again, outcome) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: later)
        #expect(outcome == .unchanged)
        #expect(again == created)
        #expect(try await store.group(id: created.id, in: Fixtures.demo)?.updatedAt == Fixtures.t0)
    }

    @Test(arguments: Backend.allCases)
    func updatedAtMovesForwardEvenWithinOneMillisecond(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.putGroup(Fixtures.definition(variables: ["A": "1"]), in: Fixtures.demo, at: Fixtures.t0)
        let (second, _) = try await store.putGroup(Fixtures.definition(variables: ["A": "2"]), in: Fixtures.demo, at: Fixtures.t0)
        #expect(second.updatedAt > second.createdAt)
    }

    @Test(arguments: Backend.allCases)
    func concurrentPutsOfOneNewNameAllSucceed(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let outcomes = try await withThrowingTaskGroup(of: WriteOutcome.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    try await store.putGroup(Fixtures.definition(variables: ["WRITER": "\(writer)"]), in: Fixtures.demo, at: .now()).1
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .created }.count == 1)
        #expect(outcomes.filter { $0 == .updated }.count == 15)
        let final = try #require(try await store.group(id: "example-secret", in: Fixtures.demo))
        #expect(final.version == 16)
    }

    @Test(arguments: Backend.allCases)
    func putIntoAMissingProjectFails(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: StoreError.self) {
            try await store.putGroup(Fixtures.definition(), in: ProjectScope(team: "default", project: "nope"), at: .now())
        }
        #expect(error?.code == .projectNotFound)
        #expect(error?.message == "Project 'nope' not found")
    }

    @Test(arguments: Backend.allCases)
    func groupsBelongToTheirProjectAndGoWithIt(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        #expect(try await store.group(id: "example-secret", in: ProjectScope(team: "other", project: "demo")) == nil)
        #expect(try await store.group(id: "missing", in: Fixtures.demo) == nil)
        #expect(try await store.deleteProject(Fixtures.demo))
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
        #expect(try await store.group(id: "example-secret", in: Fixtures.demo) == nil)
        let (recreated, outcome) = try await store.putGroup(Fixtures.definition(), in: Fixtures.demo, at: Fixtures.t0)
        #expect(outcome == .created)
        #expect(try await store.group(id: "example-secret", in: Fixtures.demo) == recreated)
    }
}
