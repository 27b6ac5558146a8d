import CofferCore
import CofferCrypto
import CofferSQLite
import CofferTestSupport
import Foundation
import Testing

@testable import CofferStore

/// Group commit on every driver: concurrent writes share transactions, each keeps its own outcome (a rule's refusal
/// and a statement the database rejects alike), the audit chain stays one line, and every acknowledged write is on disk.
@Suite struct WriteBatcherTests {
    static func definition(_ index: Int, value: String = "v") -> SecretGroupDefinition {
        SecretGroupDefinition(name: "Group \(index)", secretType: .environment, priority: 1, secrets: SecretValues(variables: ["K": value]))
    }

    @Test func concurrentWritesShareTransactionsAndAllLand() async throws {
        let directory = TemporaryDirectory()
        let key = MasterKey.generate()
        let store = try SQLiteStore(path: directory.path + "/coffer.sqlite", masterKey: key)
        try await store.bootstrap(team: Fixtures.team, token: Fixtures.token)
        _ = try await store.createProject(ProjectDefinition(name: "Demo"), team: "default", at: Fixtures.t0)
        let before = store.batcher.counts
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { _ = try await store.putGroup(Self.definition(index), in: Fixtures.demo, at: .now()) }
            }
            try await group.waitForAll()
        }
        let after = store.batcher.counts
        #expect(after.writes - before.writes == 200)
        #expect(after.transactions - before.transactions < 200, "concurrent writes were committed together")
        try store.close()
        let reopened = try SQLiteStore(path: directory.path + "/coffer.sqlite", masterKey: key)
        #expect(try await reopened.groups(in: Fixtures.demo).count == 200)
        var verifier = AuditChain.Verifier()
        try verifier.check(try await reopened.auditEntries(AuditQuery(limit: 1000)))
        #expect(verifier.count == 202)
    }

    @Test(arguments: Backend.allCases.filter { $0 != .memory })
    func concurrentWritesShareTransactionsOnEveryDatabase(backend: Backend) async throws {
        let store = try #require(try await backend.makeStore() as? any StoreDriver)
        let before = store.batcher.counts
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { _ = try await store.putGroup(Self.definition(index), in: Fixtures.demo, at: .now()) }
            }
            try await group.waitForAll()
        }
        let after = store.batcher.counts
        #expect(after.writes - before.writes == 200)
        #expect(after.transactions - before.transactions < 200, "concurrent writes were committed together")
        #expect(try await store.groups(in: Fixtures.demo).count == 200)
        var verifier = AuditChain.Verifier()
        try verifier.check(try await store.auditEntries(AuditQuery(limit: 1000)))
        #expect(verifier.count == 202)
    }

    @Test(arguments: Backend.allCases)
    func aStatementTheDatabaseRejectsFailsItsWriteAlone(backend: Backend) async throws {
        let store = try await backend.makeStore()
        // A project in a team that does not exist breaks a foreign key on the databases, and the memory driver has
        // no such key: either way, the writes beside it in the same batch must land.
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    if index.isMultiple(of: 10) {
                        do {
                            _ = try await store.createProject(ProjectDefinition(name: "Orphan \(index)"), team: "no-such-team", at: .now())
                            return (index, true)
                        } catch {
                            return (index, false)
                        }
                    }
                    _ = try await store.putGroup(Self.definition(index), in: Fixtures.demo, at: .now())
                    return (index, true)
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<40 where !index.isMultiple(of: 10) {
            #expect(outcomes[index] == true)
            #expect(try await store.group(id: "group-\(index)", in: Fixtures.demo)?.version == 1)
        }
        if backend != .memory {
            #expect((0..<40).filter { $0.isMultiple(of: 10) }.allSatisfy { outcomes[$0] == false })
        }
        var verifier = AuditChain.Verifier()
        let entries = try await store.auditEntries(AuditQuery(limit: 1000))
        try verifier.check(entries)
        #expect(entries.filter { $0.resourceType == .secret }.count == 36)
    }

    @Test(arguments: Backend.allCases)
    func aFailingWriteIsRolledBackAloneAndReportsItsOwnError(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for index in 0..<50 { _ = try await store.putGroup(Self.definition(index), in: Fixtures.demo, at: .now()) }
        // Half the writes name a version the group is not at: they must fail alone, in whatever batch they land.
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<50 {
                group.addTask {
                    do {
                        _ = try await store.putGroup(
                            Self.definition(index, value: "new"),
                            in: Fixtures.demo,
                            at: .now(),
                            expectedVersion: index.isMultiple(of: 2) ? 1 : 7
                        )
                        return (index, true)
                    } catch let error as StoreError where error.code == .versionMismatch {
                        return (index, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<50 {
            #expect(outcomes[index] == index.isMultiple(of: 2))
            let stored = try await store.group(id: "group-\(index)", in: Fixtures.demo)
            #expect(stored?.definition.secrets.variables["K"] == (index.isMultiple(of: 2) ? "new" : "v"))
            #expect(stored?.version == (index.isMultiple(of: 2) ? 2 : 1))
        }
        let updates = try await store.auditEntries(AuditQuery(action: .update, limit: 1000))
        #expect(updates.count == 25)
    }

    @Test(arguments: [1, 3])
    func noMoreBatchesCommitAtOnceThanAllowedAndEveryWriteLands(concurrentBatches: Int) async throws {
        let batcher = WriteBatcher(maximumBatch: 8, concurrentBatches: concurrentBatches)
        let running = Shared((now: 0, most: 0))
        let commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>] = { writes in
            running.update { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(5))
            running.update { $0.now -= 1 }
            return writes.map { write in Result { try write.decide(LoadedRows()) } }
        }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<120 {
                group.addTask {
                    let write = StoreWrite(reads: []) { _ in WriteDecision(answer: index) }
                    return try #require(try await batcher.write(write, commit: commit).answer as? Int)
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(answers == Set(0..<120), "every write got its own answer")
        #expect(running.value.most <= concurrentBatches)
        if concurrentBatches > 1 { #expect(running.value.most > 1, "batches did run side by side") }
        #expect(batcher.counts.writes == 120 && batcher.counts.transactions < 120)
    }
}

/// A `TaskExecutor` on one serial dispatch queue, which can tell whether the current code runs on it.
private final class QueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "coffer.test.executor")
    private let key = DispatchSpecificKey<Bool>()

    init() {
        queue.setSpecific(key: key, value: true)
    }

    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension WriteBatcherTests {
    @Test func aDrainOnAnExecutorRunsThereOneBatchAtATimeAndEveryWriteLands() async throws {
        let executor = QueueExecutor()
        let batcher = WriteBatcher(maximumBatch: 8)
        let running = Shared((now: 0, most: 0, elsewhere: 0))
        let commit: @Sendable ([StoreWrite]) async -> [Result<WriteDecision, any Error>] = { writes in
            running.update {
                $0.now += 1
                $0.most = max($0.most, $0.now)
                if !executor.isCurrent { $0.elsewhere += 1 }
            }
            try? await Task.sleep(for: .milliseconds(2))
            running.update {
                $0.now -= 1
                if !executor.isCurrent { $0.elsewhere += 1 }
            }
            return writes.map { write in Result { try write.decide(LoadedRows()) } }
        }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<120 {
                group.addTask {
                    let write = StoreWrite(reads: []) { _ in
                        if index.isMultiple(of: 7) { throw StoreError.versionMismatch }
                        return WriteDecision(answer: index)
                    }
                    do {
                        return try #require(try await batcher.write(write, drainingOn: executor, commit: commit).answer as? Int)
                    } catch let error as StoreError where error.code == .versionMismatch {
                        return -index
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(answers == Set((0..<120).map { $0.isMultiple(of: 7) ? -$0 : $0 }), "every write got its own outcome")
        #expect(running.value.most == 1, "one batch at a time")
        #expect(running.value.elsewhere == 0, "every batch ran on the executor, before and after its awaits")
        #expect(batcher.counts.writes == 120 && batcher.counts.transactions < 120)
    }
}
