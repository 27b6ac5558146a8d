import CofferCore
import CofferCrypto
import CofferStore
import CofferTestSupport
import Foundation

/// Projects seeded with groups, an addon and a workload each, and reading them all back.
enum RotationFixture {
    static func scope(_ index: Int) -> ProjectScope {
        ProjectScope(team: "default", project: "project-\(index)")
    }

    /// `projects` projects with `groups` groups, one addon and one job each.
    static func seed(_ store: any SecretStore, projects: Int, groups: Int) async throws {
        try await store.bootstrap(team: Fixtures.team, token: Fixtures.token)
        for index in 0..<projects {
            let scope = scope(index)
            _ = try await store.createProject(ProjectDefinition(name: "Project \(index)"), team: "default", at: Fixtures.t0)
            for group in 0..<groups {
                _ = try await store.putGroup(
                    Fixtures.definition(name: "Group \(group)", variables: ["V": "\(index)-\(group)"]),
                    in: scope,
                    at: Fixtures.t0
                )
            }
            let addon = AddonDefinition(name: "DB", type: "postgresql", credentials: ["PASSWORD": "pw-\(index)"])
            _ = try await store.createAddon(addon, kind: .addon, in: scope, at: Fixtures.t0)
            let values = WorkloadValues(runtimeEnvironment: ["API_KEY": "key-\(index)"])
            _ = try await store.createWorkload(WorkloadDefinition(name: "Worker", values: values), kind: .job, in: scope, at: Fixtures.t0)
        }
    }

    /// Everything the store holds for some projects, decrypted (values compare, unlike their redacted descriptions).
    struct Snapshot: Hashable {
        var groups: [String: SecretGroup] = [:]
        var addons: [String: Addon] = [:]
        var workloads: [String: Workload] = [:]
    }

    /// Reads every group, addon and workload of `projects` projects: it throws if any value does not open.
    static func snapshot(_ store: any SecretStore, projects: Int) async throws -> Snapshot {
        var all = Snapshot()
        for index in 0..<projects {
            let scope = scope(index)
            for group in try await store.groups(in: scope) { all.groups["\(scope)/\(group.id)"] = group }
            for addon in try await store.addons(kind: .addon, in: scope) { all.addons["\(scope)/\(addon.id)"] = addon }
            for workload in try await store.workloads(kind: nil, in: scope) { all.workloads["\(scope)/\(workload.id)"] = workload }
        }
        return all
    }

    /// PUTs a counter into a group `live` of each of `projects` projects and reads the project back, over and over,
    /// until `stop`: what a serving store does while a rotation runs beside it. Records the last acknowledged group of
    /// each project, and every failure.
    static func write(
        to store: any SecretStore,
        projects: Int,
        until stop: Shared<Bool>,
        acknowledged: Shared<[ProjectScope: SecretGroup]>,
        failures: Shared<[String]>
    ) async {
        await withTaskGroup(of: Void.self) { writers in
            for index in 0..<projects {
                let scope = scope(index)
                writers.addTask {
                    var counter = 0
                    while !stop.value {
                        counter += 1
                        do {
                            let definition = Fixtures.definition(name: "Live", variables: ["COUNTER": "\(counter)"])
                            let (group, _) = try await store.putGroup(definition, in: scope, at: .now())
                            acknowledged.update { $0[scope] = group }
                            _ = try await store.groups(in: scope)
                            _ = try await store.addons(kind: .addon, in: scope)
                        } catch {
                            failures.update { $0.append("\(scope.projectId): \(error)") }
                        }
                    }
                }
            }
        }
    }
}
