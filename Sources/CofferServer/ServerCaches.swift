import CofferStore

/// The caches of one server process, which its routes fill and its change listener (if any) empties.
struct ServerCaches {
    let snapshots: ProjectSnapshots
    let tokens: TokenCache
    /// Not a cache, but kept true the same way: the change listener wakes it for other replicas' commits.
    let changes: ChangeHub

    init(store: any SecretStore, configuration: ServerConfiguration) {
        snapshots = ProjectSnapshots(store: store)
        tokens = TokenCache(lifetime: configuration.tokenCacheLifetime)
        changes = ChangeHub(capacity: configuration.maximumWatchers)
    }
}
