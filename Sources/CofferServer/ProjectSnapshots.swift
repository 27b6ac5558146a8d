import CofferCore
import CofferStore
import Synchronization

/// Decrypted, validated state of a project (its groups, addons and workloads) and the resolutions computed from it,
/// cached until a write to the project. Every write goes through `InvalidatingStore`, which bumps the project's
/// generation after the write commits; a snapshot loaded across a bump is used for its own request but not kept.
final class ProjectSnapshots: Sendable {
    /// One project's cached state.
    final class Snapshot: Sendable {
        let groups: [SecretGroup]
        let workloads: [Workload]
        let resolver: Resolver
        private let resolutions = Mutex<[ResolutionKey: Resolution]>([:])

        struct ResolutionKey: Hashable {
            var kind: WorkloadKind
            var id: String
            var phase: Phase
            var scope: Resolver.Scope
            var substituted: Bool
        }

        init(groups: [SecretGroup], addons: [Addon], externalAddons: [Addon], workloads: [Workload]) {
            self.groups = groups
            self.workloads = workloads
            resolver = Resolver(
                groups: groups,
                addons: Dictionary(addons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                externalAddons: Dictionary(externalAddons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            )
        }

        /// The workload's resolution, computed once per snapshot.
        func resolution(of workload: Workload, phase: Phase, scope: Resolver.Scope, substituted: Bool) -> Resolution {
            let key = ResolutionKey(kind: workload.kind, id: workload.id, phase: phase, scope: scope, substituted: substituted)
            if let cached = resolutions.withLock({ $0[key] }) { return cached }
            var resolution = resolver.resolve(workload, phase: phase, scope: scope)
            if substituted { resolution = resolution.substitutingTemplates() }
            resolutions.withLock { $0[key] = resolution }
            return resolution
        }

        private let diagnostics = Mutex<[String]?>(nil)

        /// Project-wide warnings (restrictions that match no workload), computed once per snapshot.
        var projectWarnings: [String] {
            if let cached = diagnostics.withLock({ $0 }) { return cached }
            let warnings = ProjectDiagnostics.unmatchedRestrictions(groups: groups, workloads: workloads)
            diagnostics.withLock { $0 = warnings }
            return warnings
        }
    }

    private struct Entry {
        var generation = 0
        var snapshot: Snapshot?
    }

    let store: any SecretStore
    /// Most projects kept; past it, cached snapshots are dropped (and rebuilt on demand).
    let capacity: Int
    private let entries = Mutex<[ProjectScope: Entry]>([:])

    init(store: any SecretStore, capacity: Int = 256) {
        self.store = store
        self.capacity = capacity
    }

    func invalidate(_ scope: ProjectScope) {
        entries.withLock {
            $0[scope, default: Entry()].generation += 1
            $0[scope]?.snapshot = nil
        }
    }

    func snapshot(of scope: ProjectScope) async throws -> Snapshot {
        let (generation, cached) = entries.withLock { ($0[scope]?.generation ?? 0, $0[scope]?.snapshot) }
        if let cached { return cached }
        async let groups = store.groups(in: scope)
        async let addons = store.addons(kind: .addon, in: scope)
        async let externalAddons = store.addons(kind: .external, in: scope)
        async let workloads = store.workloads(kind: nil, in: scope)
        let snapshot = Snapshot(
            groups: try await groups,
            addons: try await addons,
            externalAddons: try await externalAddons,
            workloads: try await workloads
        )
        entries.withLock { entries in
            guard (entries[scope]?.generation ?? 0) == generation else { return }
            // Past capacity, drop every snapshot but keep the generations, which guard against storing stale ones.
            if entries.values.count(where: { $0.snapshot != nil }) >= capacity {
                for key in entries.keys { entries[key]?.snapshot = nil }
            }
            entries[scope, default: Entry()].snapshot = snapshot
        }
        return snapshot
    }
}
