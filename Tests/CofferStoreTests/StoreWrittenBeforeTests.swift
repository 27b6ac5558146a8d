import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import Foundation
import Testing

/// A store written by the release before the single write path (see Fixtures/README.md) opens, reads back every
/// record as it was written, and takes new writes whose audit entries extend the chain it already had.
@Suite struct StoreWrittenBeforeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/written-before-the-single-write-path.sqlite")
    static let shop = ProjectScope(team: "default", project: "shop")

    /// A copy of the fixture, so the test never changes the committed file.
    static func openCopy() throws -> (SQLiteStore, String) {
        let path = TemporaryDirectory().path + "/coffer.sqlite"
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        return (try SQLiteStore(path: path, masterKey: try MasterKey(base64: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")), path)
    }

    @Test func everyRecordReadsBackAsItWasWritten() async throws {
        let (store, _) = try Self.openCopy()
        #expect(try await store.projects(team: "default").map(\.id) == ["shop"])
        #expect(try await store.project(Self.shop)?.description == "The shop")

        let groups = try await store.groups(in: Self.shop)
        #expect(groups.map(\.id) == ["config-group", "example-secret"])
        let example = try #require(groups.last)
        #expect(example.version == 2)
        #expect(example.definition.secrets.variables == ["EXTRA": "two"])
        let template = Data("This is an example with a templated ${NODE_ENV} variable".utf8)
        #expect(example.definition.secrets.files["/dir/fileName"]?.data == template)
        #expect(example.definition.secrets.dockerSecretMounts["example-secret-mount_1"]?.data == template)
        #expect(example.definition.addonDependencies == [AddonDependency(addonId: "example-addon", keys: [.init(keyName: "USERNAME", aliases: ["MONGO_USERNAME"])])])
        #expect(example.definition.restrictions == Restrictions(restricted: true, nfObjects: [.init(id: "example-service", type: .service)]))
        let config = try #require(groups.first)
        #expect(config.definition.type == .config && config.definition.secretType == .arguments && config.definition.priority == 5)
        #expect(config.definition.secrets.variables == ["A": "1"])
        #expect(try await store.groupSummaries(in: Self.shop, after: nil, offset: 0, limit: 10).map(\.id) == ["config-group", "example-secret"])

        let addon = try #require(try await store.addon(id: "example-addon", kind: .addon, in: Self.shop))
        #expect(addon.definition.credentials == ["USERNAME": "admin", "PASSWORD": "s3cr3t"] && addon.definition.version == "15")
        #expect(try await store.addons(kind: .external, in: Self.shop).map(\.definition.credentials) == [["URI": "mongodb://x"]])

        let workloads = try await store.workloads(kind: nil, in: Self.shop)
        #expect(workloads.map(\.id) == ["example-service", "nightly"])
        #expect(workloads.first?.definition.values.runtimeEnvironment == ["PORT": "8080"] && workloads.first?.definition.tags == ["web"])
        #expect(workloads.last?.definition.values.buildArguments == ["X": "1"])

        let tokens = try await store.tokens(team: "default")
        #expect(tokens.map(\.name) == ["bootstrap admin", "ci-token", "svc-token"])
        #expect(tokens[1].revokedAt != nil && tokens[1].projectIds == ["shop"])
        #expect(tokens[2].workload == WorkloadReference(projectId: "shop", kind: .service, id: "example-service"))

        var verifier = AuditChain.Verifier()
        try verifier.check(try await store.auditEntries(AuditQuery(limit: 100)))
        #expect(verifier.count == 14)
    }

    @Test func newWritesExtendTheChainItHad() async throws {
        let (store, path) = try Self.openCopy()
        let key = try MasterKey(base64: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        let (updated, outcome) = try await store.updateGroup(id: "config-group", in: Self.shop, at: .now(), expectedVersion: 1) { definition in
            var definition = definition
            definition.secrets.variables["B"] = "2"
            return definition
        }
        #expect(outcome == .updated && updated.version == 2)
        #expect(try await store.deleteWorkload(id: "nightly", kind: .job, in: Self.shop))
        try store.close()
        let reopened = try SQLiteStore(path: path, masterKey: key)
        #expect(try await reopened.group(id: "config-group", in: Self.shop)?.definition.secrets.variables == ["A": "1", "B": "2"])
        var verifier = AuditChain.Verifier()
        try verifier.check(try await reopened.auditEntries(AuditQuery(limit: 100)))
        #expect(verifier.count == 16)
    }

    /// Groups written before history existed start it with their state then, so the write after it is its second
    /// kept version and the project can be put back to the moment the store was upgraded.
    @Test func historyStartsFromEachGroupAsItWas() async throws {
        let (store, _) = try Self.openCopy()
        let before = try await store.groups(in: Self.shop)
        let example = try #require(try await store.groupVersions(id: "example-secret", in: Self.shop, before: nil, limit: 10))
        #expect(example.versions.map(\.version) == [2] && example.versions.first?.action == .update && example.current == 2)
        #expect(try await store.groupVersion(id: "example-secret", version: 2, in: Self.shop)?.group == before.last)
        let upgraded = Timestamp.now()
        try await Task.sleep(for: .milliseconds(5))

        _ = try await store.updateGroup(id: "config-group", in: Self.shop, at: .now(), expectedVersion: 1) {
            var definition = $0
            definition.priority = 50
            return definition
        }
        #expect(try await store.groupVersions(id: "config-group", in: Self.shop, before: nil, limit: 10)?.versions.map(\.action) == [.update, .create])
        let plan = try await store.restoreProject(Self.shop, asOf: upgraded, at: .now(), dryRun: false)
        #expect(plan.steps.map(\.secretId) == ["config-group"])
        #expect(try await store.groups(in: Self.shop).map(\.definition) == before.map(\.definition))
        // Before the upgrade, the history of a group changed earlier does not reach back.
        let earlier = await #expect(throws: StoreError.self) {
            try await store.groups(in: Self.shop, asOf: Timestamp(millisecondsSinceEpoch: example.versions[0].at.millisecondsSinceEpoch - 1))
        }
        #expect(earlier?.code == .historyNotKept)
    }
}
