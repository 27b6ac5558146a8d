import CofferCore
import NIOCore
import Synchronization

/// One project's decrypted, validated state (its groups, addons and workloads), immutable, with what is computed
/// from it cached alongside: resolutions, project warnings and encoded answers. A write makes a new snapshot.
final class ProjectSnapshot: Sendable {
    /// Groups ordered by id (the order lists page in).
    let groups: [SecretGroup]
    let workloads: [Workload]
    let resolver: Resolver
    private let groupIndex: [String: Int]
    private let resolutions = Mutex<[ResolutionKey: Resolution]>([:])
    private let diagnostics = Mutex<[String]?>(nil)
    private let responses = Mutex<[String: ByteBuffer]>([:])

    /// Most encoded answers kept per snapshot; past it they are all dropped and re-encoded on demand.
    static let responseCapacity = 512

    struct ResolutionKey: Hashable {
        var kind: WorkloadKind
        var id: String
        var phase: Phase
        var scope: Resolver.Scope
        var substituted: Bool
    }

    convenience init(groups: [SecretGroup], addons: [Addon], externalAddons: [Addon], workloads: [Workload]) {
        self.init(
            sortedGroups: groups.sorted { $0.id < $1.id },
            addons: Dictionary(addons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            externalAddons: Dictionary(externalAddons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            workloads: workloads
        )
    }

    private init(
        sortedGroups: [SecretGroup],
        index: [String: Int]? = nil,
        addons: [String: Addon],
        externalAddons: [String: Addon],
        workloads: [Workload]
    ) {
        groups = sortedGroups
        groupIndex = index ?? Self.index(sortedGroups)
        self.workloads = workloads
        resolver = Resolver(groups: sortedGroups, addons: addons, externalAddons: externalAddons)
    }

    func group(id: String) -> SecretGroup? {
        groupIndex[id].map { groups[$0] }
    }

    func workload(kind: WorkloadKind, id: String) -> Workload? {
        workloads.first { $0.kind == kind && $0.id == id }
    }

    /// Up to `limit` groups after the id `after` (a cursor) or from `offset`, in id order.
    func groups(after: String?, offset: Int, limit: Int) -> ArraySlice<SecretGroup> {
        let start: Int
        if let after {
            start = Self.firstIndex(in: groups) { $0.id > after }
        } else {
            start = min(offset, groups.count)
        }
        return groups[start..<min(start + limit, groups.count)]
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

    /// Project-wide warnings (restrictions that match no workload), computed once per snapshot.
    var projectWarnings: [String] {
        if let cached = diagnostics.withLock({ $0 }) { return cached }
        let warnings = ProjectDiagnostics.unmatchedRestrictions(groups: groups, workloads: workloads)
        diagnostics.withLock { $0 = warnings }
        return warnings
    }

    /// An encoded answer body, made once per snapshot and `key` (which must name everything the body depends on
    /// besides the snapshot: route, query, what the caller may see).
    func response(_ key: String, make: () -> ByteBuffer) -> ByteBuffer {
        if let cached = cachedResponse(key) { return cached }
        let body = make()
        remember(body, as: key)
        return body
    }

    /// An answer encoded before under `key`, for answers whose making reads the store (and so cannot be `make`).
    func cachedResponse(_ key: String) -> ByteBuffer? {
        responses.withLock { $0[key] }
    }

    func remember(_ body: ByteBuffer, as key: String) {
        responses.withLock { responses in
            if responses.count >= Self.responseCapacity { responses.removeAll(keepingCapacity: true) }
            responses[key] = body
        }
    }
}

extension ProjectSnapshot {
    /// A committed write's result, to fold into a cached snapshot instead of reloading the whole project.
    enum Change: Sendable {
        case group(SecretGroup)
        case addon(Addon)
        case workload(Workload)
    }

    /// This snapshot with `changes` folded in, in order, as one new snapshot (one rebuild of the index and resolver
    /// however many changes); a change whose version the snapshot already holds, or a newer one, is skipped (writes
    /// may report back out of commit order, and versions only grow). `self` when every change is skipped.
    func applying(_ changes: some Sequence<Change>) -> ProjectSnapshot {
        var groups = self.groups
        // New groups wait here so positions in `groupIndex` stay valid for the whole loop; they join in order at the end.
        var added: [String: SecretGroup] = [:]
        var addons = resolver.addons
        var externalAddons = resolver.externalAddons
        var workloads = self.workloads
        var changed = false
        for change in changes {
            switch change {
            case .group(let group):
                if let index = groupIndex[group.id] {
                    guard groups[index].version < group.version else { continue }
                    groups[index] = group
                } else {
                    guard (added[group.id]?.version ?? 0) < group.version else { continue }
                    added[group.id] = group
                }
            case .addon(let addon):
                let current = addon.kind == .addon ? addons[addon.id] : externalAddons[addon.id]
                guard (current?.version ?? 0) < addon.version else { continue }
                if addon.kind == .addon { addons[addon.id] = addon } else { externalAddons[addon.id] = addon }
            case .workload(let workload):
                if let index = workloads.firstIndex(where: { $0.kind == workload.kind && $0.id == workload.id }) {
                    guard workloads[index].version < workload.version else { continue }
                    workloads[index] = workload
                } else {
                    workloads.append(workload)
                }
            }
            changed = true
        }
        guard changed else { return self }
        for group in added.values.sorted(by: { $0.id < $1.id }) {
            groups.insert(group, at: Self.firstIndex(in: groups) { $0.id > group.id })
        }
        return ProjectSnapshot(
            sortedGroups: groups,
            index: added.isEmpty ? groupIndex : nil,
            addons: addons,
            externalAddons: externalAddons,
            workloads: workloads
        )
    }

    /// Each group's position in `sortedGroups`, by id.
    static func index(_ sortedGroups: [SecretGroup]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: sortedGroups.enumerated().map { ($1.id, $0) })
    }

    /// The first index whose element satisfies `isAfter` (a predicate false then true along the array).
    static func firstIndex(in groups: [SecretGroup], where isAfter: (SecretGroup) -> Bool) -> Int {
        var low = 0
        var high = groups.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(groups[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
