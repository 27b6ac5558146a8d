import CofferCore
import CofferStore

/// Keeps a replica's caches true to a shared store: each change committed through any replica drops what this one
/// cached of it (the project's snapshot, whether the project exists, a revoked token), and a possible gap in the
/// changes heard drops everything.
struct CacheInvalidator: ChangeObserver {
    let snapshots: ProjectSnapshots
    let tokens: TokenCache
    let changes: ChangeHub
    /// Set once listening has started, so that the server waits for it before it serves from caches.
    let listening = Shared(false)

    func changed(_ change: StoreChange) {
        if let projectId = change.projectId { changes.changed(ProjectScope(team: change.teamId, project: projectId)) }
        switch change.resourceType {
        case .token:
            tokens.forget(id: change.resourceId)
        case .project:
            guard let projectId = change.projectId else { return }
            snapshots.forgetProject(ProjectScope(team: change.teamId, project: projectId))
        case .secret, .addon, .externalAddon, .service, .job:
            guard let projectId = change.projectId else { return }
            snapshots.invalidate(ProjectScope(team: change.teamId, project: projectId))
        }
    }

    func changesMayHaveBeenMissed() {
        snapshots.invalidateAll()
        tokens.forgetAll()
        changes.changedEverything()
    }

    func startedListening() {
        changesMayHaveBeenMissed()
        listening.value = true
    }

    /// Waits until listening has started, for at most `timeout`; a server that served before then could cache what
    /// another replica changes meanwhile and never hear of it.
    func waitUntilListening(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !listening.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }
}
