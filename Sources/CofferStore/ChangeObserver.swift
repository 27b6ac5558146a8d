import ServiceLifecycle

/// What a process caching a shared store's contents does when changes are committed, by itself or by another replica:
/// forget what it cached. The store's change listener calls it.
public protocol ChangeObserver: Sendable {
    /// `change` was committed (by any replica, this one included).
    func changed(_ change: StoreChange)

    /// Changes may have been missed (the listening connection was lost): forget everything cached.
    func changesMayHaveBeenMissed()

    /// Listening has (re)started: every change from now on will be heard, earlier ones may have been missed, so forget
    /// everything cached.
    func startedListening()
}

/// A store that other processes write to as well, and that can tell a process about their changes.
public protocol ChangeNotifyingStore: SecretStore {
    /// A service that tells `observer` of every change committed to the store for as long as it runs.
    func changeListener(notifying observer: any ChangeObserver) -> any Service
}
