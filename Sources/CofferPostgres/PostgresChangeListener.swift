import CofferStore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Hears, on a connection of its own, every change any replica commits to a `PostgresStore` (`LISTEN
/// coffer_changes`; each write sends `pg_notify` in its transaction, so only committed changes are heard) and tells its
/// observer. Whenever it starts listening, and whenever its connection drops, changes may have gone unheard, so the
/// observer is told to forget everything; it reconnects by itself, through the store's pool.
public struct PostgresChangeListener: Service {
    package let store: PostgresStore
    package let observer: any ChangeObserver
    /// Pause between attempts to listen again after a failure.
    package let retryDelay: Duration

    public init(store: PostgresStore, observer: any ChangeObserver, retryDelay: Duration = .milliseconds(250)) {
        self.store = store
        self.observer = observer
        self.retryDelay = retryDelay
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await listenOnce()
                } catch {
                    if !Task.isCancelled {
                        store.logger.debug("The change listener lost its connection", metadata: ["reason": "\(PostgresStore.reason(error))"])
                    }
                }
                observer.changesMayHaveBeenMissed()
                try? await Task.sleep(for: retryDelay)
            }
        }
    }

    /// Listens on one pooled connection until it fails or the task is cancelled.
    private func listenOnce() async throws {
        try await store.client.withConnection { connection in
            try await connection.listen(on: PostgresStore.changeChannel) { notifications in
                // Listening from here on: whatever was cached before may have missed a change.
                observer.startedListening()
                for try await notification in notifications {
                    if let change = try? StoredJSON.decode(StoreChange.self, from: notification.payload) {
                        // This store's own writes reached its server's caches before the commit answered.
                        if change.origin != store.origin { observer.changed(change) }
                    } else {
                        observer.changesMayHaveBeenMissed()
                    }
                }
            }
        }
    }
}

extension PostgresStore: ChangeNotifyingStore {
    /// The notification channel every write announces its change on.
    package static let changeChannel = "coffer_changes"

    public func changeListener(notifying observer: any ChangeObserver) -> any Service {
        PostgresChangeListener(store: self, observer: observer)
    }
}
