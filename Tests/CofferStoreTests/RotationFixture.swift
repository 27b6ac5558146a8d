import CofferCore
import CofferCrypto
import CofferStore
import Foundation

/// Projects seeded with groups, an addon and a workload each, and reading them all back.
enum RotationFixture {
    static func scope(_ index: Int) -> ProjectScope {
        ProjectScope(team: "default", project: "project-\(index)")
    }

    /// `projects` projects with `groups` groups, one addon and one job each.
    static func seed(_ store: SQLiteStore, projects: Int, groups: Int) async throws {
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
    static func snapshot(_ store: SQLiteStore, projects: Int) async throws -> Snapshot {
        var all = Snapshot()
        for index in 0..<projects {
            let scope = scope(index)
            for group in try await store.groups(in: scope) { all.groups["\(scope)/\(group.id)"] = group }
            for addon in try await store.addons(kind: .addon, in: scope) { all.addons["\(scope)/\(addon.id)"] = addon }
            for workload in try await store.workloads(kind: nil, in: scope) { all.workloads["\(scope)/\(workload.id)"] = workload }
        }
        return all
    }
}
