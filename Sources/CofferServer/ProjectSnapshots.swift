import CofferCore
import CofferStore
import Metrics
import Synchronization

/// The server's cache of projects and their snapshots. A snapshot miss loads the project once however many
/// requests wait for it; a committed write's result is queued on the cached snapshot (a deletion drops it), and the
/// next read folds every queued result in at once, outside the lock, so a burst of writes costs one rebuild rather
/// than one each. Every write stamps the project with a new generation, so a read that overlapped a write serves the
/// requests that were already waiting but is never kept.
final class ProjectSnapshots: Sendable {
    private struct Waiter {
        var generation: Int
        var continuation: CheckedContinuation<Step, any Error>
    }

    private struct Entry {
        var generation: Int
        /// nil: not known; `.some(nil)`: the project does not exist.
        var project: Project??
        var snapshot: ProjectSnapshot? {
            didSet {
                pending = []
                replacements &+= 1
            }
        }
        /// Counts assignments to `snapshot`, so a fold can tell that the queue it folded is still the one queued.
        var replacements = 0
        /// Committed writes not yet folded into `snapshot`, oldest first.
        var pending: [ProjectSnapshot.Change] = []
        var loading = false
        var waiters: [Waiter] = []

        var isIdle: Bool { snapshot == nil && !loading && waiters.isEmpty }
    }

    private struct State {
        /// Generations come from one counter, so an entry dropped and made again never repeats an old one.
        var clock = 0
        var entries: [ProjectScope: Entry] = [:]

        /// The entry for `scope`, made with a fresh generation if there is none.
        mutating func entry(_ scope: ProjectScope) -> Entry {
            if let entry = entries[scope] { return entry }
            clock += 1
            return Entry(generation: clock)
        }

        /// Marks a change to `scope`: in-flight reads of it will not be kept.
        mutating func stamp(_ scope: ProjectScope, _ change: (inout Entry) -> Void) {
            clock += 1
            var entry = entry(scope)
            entry.generation = clock
            change(&entry)
            entries[scope] = entry
        }
    }

    private enum Step {
        case ready(ProjectSnapshot)
        case fold(ProjectSnapshot, [ProjectSnapshot.Change], replacements: Int)
        case lead(generation: Int)
        case retry
    }

    let store: any SecretStore
    /// Most snapshots kept; past it, every cached snapshot is dropped (and rebuilt on demand).
    let capacity: Int
    /// Most projects remembered; past it, idle entries are forgotten.
    let projectCapacity = 10_000
    /// Most writes queued on a snapshot; the write that reaches it folds them all in (under the lock, once per this many).
    let pendingCapacity = 256
    private let state = Mutex(State())

    init(store: any SecretStore, capacity: Int = 256) {
        self.store = store
        self.capacity = capacity
    }

    /// Reads answered from a cached snapshot (as it was, or with writes folded in) and reads that loaded the project.
    private let hits = Counter(label: "coffer_snapshot_cache_reads_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "coffer_snapshot_cache_reads_total", dimensions: [("result", "miss")])

    /// Drops the project's snapshot.
    func invalidate(_ scope: ProjectScope) {
        state.withLock { $0.stamp(scope) { $0.snapshot = nil } }
    }

    /// Queues a committed write on the project's cached snapshot, if one is cached; the next read folds it in.
    func apply(_ change: ProjectSnapshot.Change, to scope: ProjectScope) {
        state.withLock { state in
            state.stamp(scope) { entry in
                guard let snapshot = entry.snapshot else { return }
                entry.pending.append(change)
                if entry.pending.count >= pendingCapacity { entry.snapshot = snapshot.applying(entry.pending) }
            }
        }
    }

    /// Forgets every project and snapshot (changes made elsewhere may have been missed); loads under way are not kept.
    func invalidateAll() {
        state.withLock { state in
            for scope in Array(state.entries.keys) {
                state.stamp(scope) {
                    $0.project = nil
                    $0.snapshot = nil
                }
            }
        }
    }

    /// Forgets whether a project exists (it was created or deleted), and its snapshot.
    func forgetProject(_ scope: ProjectScope) {
        state.withLock {
            $0.stamp(scope) {
                $0.project = nil
                $0.snapshot = nil
            }
        }
    }

    /// The project, from the cache or the store (nil when it does not exist).
    func project(_ scope: ProjectScope) async throws -> Project? {
        let (known, generation) = state.withLock { state -> (Project??, Int) in
            let entry = state.entry(scope)
            state.entries[scope] = entry
            return (entry.project, entry.generation)
        }
        if let known { return known }
        let project = try await store.project(scope)
        state.withLock { state in
            guard state.entries[scope]?.generation == generation else { return }
            state.entries[scope]?.project = .some(project)
            if state.entries.count > projectCapacity { state.entries = state.entries.filter { !$0.value.isIdle } }
        }
        return project
    }

    func snapshot(of scope: ProjectScope) async throws -> ProjectSnapshot {
        while true {
            let step = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Step, any Error>) in
                state.withLock { state in
                    var entry = state.entry(scope)
                    if let snapshot = entry.snapshot {
                        continuation.resume(
                            returning: entry.pending.isEmpty ? .ready(snapshot) : .fold(snapshot, entry.pending, replacements: entry.replacements)
                        )
                    } else if entry.loading {
                        entry.waiters.append(Waiter(generation: entry.generation, continuation: continuation))
                    } else {
                        entry.loading = true
                        continuation.resume(returning: .lead(generation: entry.generation))
                    }
                    state.entries[scope] = entry
                }
            }
            switch step {
            case .ready(let snapshot):
                hits.increment()
                return snapshot
            case .fold(let snapshot, let changes, let replacements):
                hits.increment()
                return fold(changes, into: snapshot, replacements: replacements, of: scope)
            case .lead(let generation):
                misses.increment()
                return try await load(scope, generation: generation)
            case .retry: continue
            }
        }
    }

    /// `snapshot` with the queued `changes` folded in, kept unless another read has already replaced the snapshot. It
    /// holds every write acknowledged before this read began, which is all a read must see.
    private func fold(
        _ changes: [ProjectSnapshot.Change],
        into snapshot: ProjectSnapshot,
        replacements: Int,
        of scope: ProjectScope
    ) -> ProjectSnapshot {
        let folded = snapshot.applying(changes)
        state.withLock { state in
            guard var entry = state.entries[scope], entry.snapshot === snapshot, entry.replacements == replacements else { return }
            let later = entry.pending.dropFirst(changes.count)
            entry.snapshot = folded
            entry.pending = Array(later)
            state.entries[scope] = entry
        }
        return folded
    }

    /// Loads the project for every request waiting on it; waiters that arrived after a write start over.
    private func load(_ scope: ProjectScope, generation: Int) async throws -> ProjectSnapshot {
        let result: Result<ProjectSnapshot, any Error>
        do {
            async let groups = store.groups(in: scope)
            async let addons = store.addons(kind: .addon, in: scope)
            async let externalAddons = store.addons(kind: .external, in: scope)
            async let workloads = store.workloads(kind: nil, in: scope)
            result = .success(
                ProjectSnapshot(
                    groups: try await groups,
                    addons: try await addons,
                    externalAddons: try await externalAddons,
                    workloads: try await workloads
                )
            )
        } catch {
            result = .failure(error)
        }
        let waiters = state.withLock { state -> [Waiter] in
            var entry = state.entry(scope)
            let waiters = entry.waiters
            entry.waiters = []
            entry.loading = false
            if case .success(let snapshot) = result, entry.generation == generation {
                if state.entries.values.count(where: { $0.snapshot != nil }) >= capacity {
                    for key in state.entries.keys { state.entries[key]?.snapshot = nil }
                }
                entry.snapshot = snapshot
            }
            state.entries[scope] = entry
            return waiters
        }
        for waiter in waiters {
            switch result {
            case .success(let snapshot) where waiter.generation == generation: waiter.continuation.resume(returning: .ready(snapshot))
            case .failure(let error) where waiter.generation == generation: waiter.continuation.resume(throwing: error)
            default: waiter.continuation.resume(returning: .retry)
            }
        }
        return try result.get()
    }
}
