import CofferStore

/// The caches of one server process, which its routes fill and its change listener (if any) empties.
struct ServerCaches {
    let snapshots: ProjectSnapshots
    let tokens: TokenCache

    init(store: any SecretStore, configuration: ServerConfiguration) {
        snapshots = ProjectSnapshots(store: store)
        tokens = TokenCache(lifetime: configuration.tokenCacheLifetime)
    }
}
