import CofferCore
import Metrics
import ServiceLifecycle
import Synchronization

/// Wakes the requests waiting for a project's next change. It carries no data: a woken waiter reads what changed from
/// the store (the truth), so a wake-up that is lost or doubled costs a wait or a read, never a change. Writes through
/// this server wake it directly; on a shared store the change listener wakes it for every replica's commits, and a
/// gap in what the listener heard wakes everyone.
final class ChangeHub: Sendable {
    /// A registration made before the store is read, so a change committed between that read and the wait still wakes.
    final class Subscription: Sendable {
        fileprivate let stream: AsyncStream<Void>
        fileprivate let continuation: AsyncStream<Void>.Continuation
        fileprivate let id: Int
        fileprivate let scope: ProjectScope
        fileprivate let hub: ChangeHub

        fileprivate init(stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation, id: Int, scope: ProjectScope, hub: ChangeHub) {
            self.stream = stream
            self.continuation = continuation
            self.id = id
            self.scope = scope
            self.hub = hub
        }

        /// Returns at the next change of the project after subscribing (at once if one came already), or after
        /// `timeout`: true when woken by a change.
        func next(timeout: Duration) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { [stream] in
                    var iterator = stream.makeAsyncIterator()
                    return await iterator.next() != nil
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let woken = await group.next() ?? false
                group.cancelAll()
                return woken
            }
        }

        /// Ends the current or next wait at once (shutting down).
        func wake() {
            continuation.yield()
        }

        /// Runs `body`, which waits on this subscription; when the server starts shutting down gracefully, the flag it
        /// is given turns true and the wait in progress ends, so a long poll or a stream answers and ends rather than
        /// holding the shutdown up for the rest of its wait.
        func untilShutdown<T>(_ body: (Shared<Bool>) async throws -> T) async throws -> T {
            let stopping = Shared(false)
            return try await withGracefulShutdownHandler {
                try await body(stopping)
            } onGracefulShutdown: { [self] in
                stopping.value = true
                wake()
            }
        }

        deinit {
            hub.unsubscribe(self)
        }
    }

    private struct State {
        var nextID = 0
        var waiters: [ProjectScope: [Int: AsyncStream<Void>.Continuation]] = [:]
        var count = 0
    }

    private let state = Mutex(State())
    /// Most waiters at once; past it `subscribe` refuses.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The number of waiters, as the metric `coffer_change_watchers`.
    private let gauge = Gauge(label: "coffer_change_watchers")

    /// How many requests wait now.
    var watchers: Int { state.withLock { $0.count } }

    /// A subscription to the project's changes, or nil when `capacity` waiters are waiting already.
    func subscribe(_ scope: ProjectScope) -> Subscription? {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { state in
            guard state.count < capacity else { return nil }
            state.nextID += 1
            state.count += 1
            state.waiters[scope, default: [:]][state.nextID] = continuation
            gauge.record(state.count)
            return state.nextID
        }
        guard let id else { return nil }
        return Subscription(stream: stream, continuation: continuation, id: id, scope: scope, hub: self)
    }

    fileprivate func unsubscribe(_ subscription: Subscription) {
        let continuation = state.withLock { state -> AsyncStream<Void>.Continuation? in
            guard let continuation = state.waiters[subscription.scope]?.removeValue(forKey: subscription.id) else { return nil }
            if state.waiters[subscription.scope]?.isEmpty == true { state.waiters[subscription.scope] = nil }
            state.count -= 1
            gauge.record(state.count)
            return continuation
        }
        continuation?.finish()
    }

    /// The project changed: wake its waiters.
    func changed(_ scope: ProjectScope) {
        for continuation in state.withLock({ Array(($0.waiters[scope] ?? [:]).values) }) { continuation.yield() }
    }

    /// Changes may have been missed: wake everyone to re-read.
    func changedEverything() {
        for continuation in state.withLock({ $0.waiters.values.flatMap(\.values) }) { continuation.yield() }
    }
}
