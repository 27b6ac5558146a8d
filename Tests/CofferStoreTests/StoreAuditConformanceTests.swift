import CofferCore
import CofferCrypto
import CofferStore
import Foundation
import Testing

/// The audit log and tokens, the same on every backend.
@Suite struct StoreAuditConformanceTests {
    static let actor = AuditActor(actor: "tok-alice", route: "PUT /v1/projects/demo/secrets", requestId: "req-1")

    /// Every entry after the bootstrap's (token create) and the fixture project's.
    static func changes(_ store: any SecretStore) async throws -> [AuditEntry] {
        try await store.auditEntries(AuditQuery(after: 2, limit: 1000))
    }

    @Test(arguments: Backend.allCases)
    func everyKindOfChangeIsAuditedByWhoWhatAndKeysNeverValues(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let scope = Fixtures.demo
        try await AuditActor.$current.withValue(Self.actor) {
            _ = try await store.putGroup(Fixtures.definition(variables: ["A": "secret-one", "B": "kept"]), in: scope, at: Fixtures.t0)
            // The same body again changes nothing and is not audited.
            _ = try await store.putGroup(Fixtures.definition(variables: ["A": "secret-one", "B": "kept"]), in: scope, at: Fixtures.t0)
            _ = try await store.updateGroup(id: "example-secret", in: scope, at: Fixtures.t0, expectedVersion: nil) {
                var next = $0
                next.priority = 42
                next.secrets.variables = ["A": "secret-two", "C": "new"]
                return next
            }
            // A refused write appends nothing.
            await #expect(throws: StoreError.self) {
                try await store.updateGroup(id: "example-secret", in: scope, at: Fixtures.t0, expectedVersion: 1) { $0 }
            }
            _ = try await store.createAddon(
                AddonDefinition(name: "Orders DB", type: "postgresql", credentials: ["PASSWORD": "hunter2"]),
                kind: .addon,
                in: scope,
                at: Fixtures.t0
            )
            _ = try await store.createWorkload(WorkloadDefinition(name: "api"), kind: .service, in: scope, at: Fixtures.t0)
            _ = try await store.updateWorkload(id: "api", kind: .service, in: scope, at: Fixtures.t0) {
                var next = $0
                next.values.runtimeEnvironment = ["TOKEN": "s3cr3t"]
                return next
            }
            #expect(try await store.deleteWorkload(id: "api", kind: .service, in: scope))
            #expect(try await store.deleteAddon(id: "orders-db", kind: .addon, in: scope))
            #expect(try await store.deleteGroup(id: "example-secret", in: scope, expectedVersion: nil))
        }
        let entries = try await Self.changes(store)
        #expect(
            entries.map { "\($0.action.rawValue) \($0.resourceType.rawValue) \($0.resourceId)" } == [
                "create secret example-secret", "update secret example-secret", "create addon orders-db", "create service api",
                "update service api", "delete service api", "delete addon orders-db", "delete secret example-secret",
            ]
        )
        #expect(entries.allSatisfy { $0.actor == "tok-alice" && $0.route == "PUT /v1/projects/demo/secrets" && $0.requestId == "req-1" })
        #expect(entries.allSatisfy { $0.teamId == "default" && $0.projectId == "demo" })
        #expect(entries[0].changedKeys == ["/dir/fileName", "A", "B", "mount_1"])
        #expect(entries[1].changedKeys == ["A", "B", "C"])
        #expect(entries[1].changedFields == ["priority"])
        #expect(entries[2].changedKeys == ["PASSWORD"])
        #expect(entries[4].changedKeys == ["runtimeEnvironment.TOKEN"])
        let text = entries.map { "\($0)" }.joined()
        for value in ["secret-one", "secret-two", "kept", "new", "hunter2", "s3cr3t"] { #expect(!text.contains(value)) }
    }

    @Test(arguments: Backend.allCases)
    func theChainLinksEveryEntryAndNamesTheFirstBrokenOne(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for index in 0..<5 {
            _ = try await store.putGroup(Fixtures.definition(name: "Group \(index)"), in: Fixtures.demo, at: Fixtures.t0)
        }
        let entries = try await store.auditEntries(AuditQuery(limit: 1000))
        #expect(entries.map(\.sequence) == Array(1...7))
        #expect(entries.first?.previousHash == AuditChain.genesis)
        #expect(entries.first?.actor == "system")
        var verifier = AuditChain.Verifier()
        try verifier.check(entries)
        #expect(verifier.count == 7 && verifier.head == entries.last?.hash)

        var edited = entries
        edited[3].changedKeys = ["SOMETHING_ELSE"]
        var second = AuditChain.Verifier()
        #expect(throws: AuditChain.Break(sequence: 4, reason: "was edited: its contents do not match its hash")) { try second.check(edited) }
        var removed = entries
        removed.remove(at: 4)
        var third = AuditChain.Verifier()
        #expect(throws: AuditChain.Break(sequence: 5, reason: "is missing (the next entry found is 6)")) { try third.check(removed) }
    }

    @Test(arguments: Backend.allCases)
    func auditQueriesFilterAndPage(backend: Backend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createProject(ProjectDefinition(name: "Other"), team: "default", at: Fixtures.t0)
        let later = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 60_000)
        try await AuditActor.$current.withValue(Self.actor) {
            _ = try await store.putGroup(Fixtures.definition(name: "Early"), in: Fixtures.demo, at: Fixtures.t0)
            _ = try await store.putGroup(Fixtures.definition(name: "Late"), in: Fixtures.demo, at: later)
            _ = try await store.putGroup(Fixtures.definition(name: "Elsewhere"), in: ProjectScope(team: "default", project: "other"), at: later)
        }
        let demo = AuditQuery(teamId: "default", projectId: "demo", limit: 100)
        #expect(try await store.auditEntries(demo).map(\.resourceId) == ["demo", "early", "late"])
        var query = demo
        query.resourceType = .secret
        query.since = later
        #expect(try await store.auditEntries(query).map(\.resourceId) == ["late"])
        query = demo
        query.actor = "tok-alice"
        query.limit = 1
        let first = try await store.auditEntries(query)
        #expect(first.map(\.resourceId) == ["early"])
        query.after = first.last?.sequence
        #expect(try await store.auditEntries(query).map(\.resourceId) == ["late"])
        #expect(try await store.auditEntries(AuditQuery(teamId: "elsewhere", limit: 100)).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func tokensAreCreatedListedAndRevokedOnceAndAudited(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let token = Token(
            id: "tok-ci",
            teamId: "default",
            name: "ci",
            secretHash: Data(repeating: 9, count: 32),
            roleName: "workload",
            workload: WorkloadReference(projectId: "demo", kind: .service, id: "api"),
            createdAt: Fixtures.t0,
            expiresAt: Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 1000)
        )
        try await store.createToken(token)
        #expect(try await store.token(hash: token.secretHash) == token)
        await #expect(throws: StoreError.self) { try await store.createToken(token) }
        var orphan = token
        orphan.id = "tok-orphan"
        orphan.teamId = "nowhere"
        orphan.secretHash = Data(repeating: 10, count: 32)
        let missingTeam = await #expect(throws: StoreError.self) { try await store.createToken(orphan) }
        #expect(missingTeam?.code == .teamNotFound)
        #expect(try await store.tokens(team: "default").map(\.id) == ["admin", "tok-ci"])

        let revokedAt = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 5)
        #expect(try await store.revokeToken(id: "tok-ci", team: "default", at: revokedAt)?.revokedAt == revokedAt)
        let again = Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + 9)
        #expect(try await store.revokeToken(id: "tok-ci", team: "default", at: again)?.revokedAt == revokedAt)
        #expect(try await store.revokeToken(id: "tok-ci", team: "other", at: again) == nil)
        let entries = try await Self.changes(store)
        #expect(entries.map { "\($0.action.rawValue) \($0.resourceId)" } == ["create tok-ci", "revoke tok-ci"])
        #expect(entries.allSatisfy { $0.projectId == nil && $0.resourceType == .token })
    }
}
