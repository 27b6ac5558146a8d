import CofferCore
import CofferStore
import Foundation
import Testing

/// Services and jobs, the same on every backend.
@Suite struct StoreWorkloadConformanceTests {
    static let web = WorkloadDefinition(
        name: "Web",
        tags: ["edge"],
        stageId: "prod",
        values: WorkloadValues(
            runtimeEnvironment: ["PORT": "8080"],
            runtimeFiles: ["/etc/app.conf": SecretFile(data: Data("x".utf8))],
            buildArguments: ["VERSION": "1"]
        )
    )

    @Test(arguments: Backend.allCases)
    func workloadsAreCreatedReadChangedAndDeletedPerKind(backend: Backend) async throws {
        let store = try await backend.makeStore()
        let service = try await store.createWorkload(Self.web, kind: .service, in: Fixtures.demo, at: Fixtures.t0)
        #expect(service.id == "web" && service.version == 1)
        let job = try await store.createWorkload(Self.web, kind: .job, in: Fixtures.demo, at: Fixtures.t0)
        let error = await #expect(throws: StoreError.self) { try await store.createWorkload(Self.web, kind: .service, in: Fixtures.demo, at: .now()) }
        #expect(error?.code == .alreadyExists)
        #expect(try await store.workload(id: "web", kind: .service, in: Fixtures.demo) == service)
        #expect(try await store.workloads(kind: .job, in: Fixtures.demo) == [job])
        #expect(try await store.workloads(kind: nil, in: Fixtures.demo).count == 2)

        let changed = try await store.updateWorkload(id: "web", kind: .service, in: Fixtures.demo, at: .now()) {
            var next = $0
            next.values.runtimeEnvironment["PORT"] = "9090"
            return next
        }
        #expect(changed.version == 2 && changed.definition.values.runtimeEnvironment == ["PORT": "9090"])
        #expect(try await store.workload(id: "web", kind: .service, in: Fixtures.demo) == changed)
        #expect(try await store.updateWorkload(id: "web", kind: .service, in: Fixtures.demo, at: .now()) { $0 } == changed)
        #expect(try await store.deleteWorkload(id: "web", kind: .service, in: Fixtures.demo))
        #expect(try await store.deleteWorkload(id: "web", kind: .service, in: Fixtures.demo) == false)
        #expect(try await store.workload(id: "web", kind: .job, in: Fixtures.demo) == job)
        let missing = await #expect(throws: StoreError.self) {
            try await store.updateWorkload(id: "web", kind: .service, in: Fixtures.demo, at: .now()) { $0 }
        }
        #expect(missing?.code == .workloadNotFound && missing?.message == "Service 'web' not found")
    }

    @Test(arguments: Backend.allCases)
    func allGroupsComeBackWithValuesInIdOrder(backend: Backend) async throws {
        let store = try await backend.makeStore()
        for name in ["Zeta", "Alpha", "Mid"] { _ = try await store.putGroup(Fixtures.definition(name: name), in: Fixtures.demo, at: Fixtures.t0) }
        let groups = try await store.groups(in: Fixtures.demo)
        #expect(groups.map(\.id) == ["alpha", "mid", "zeta"])
        #expect(groups.first?.definition.secrets == Fixtures.definition().secrets)
    }
}
