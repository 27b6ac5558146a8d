import CofferAPI
import Foundation

/// A project's changes as they happen, oldest first, each once (`client.watch.changes(projectId:)`): an async
/// sequence that long-polls `GET .../changes?since=R&wait=S` as it is consumed, from the revision after the last
/// change it read. A dropped connection, an unreachable server, a 5xx or a 429 is retried from there with
/// `RetryBackoff`, so a server restart loses and repeats nothing. Any other error answer ends it by being thrown:
/// a 410 (`since` older than the feed keeps) says to read the current state again, then watch from its revision.
/// Cancelling the consuming task ends the sequence (`next()` answers nil).
public struct ChangeWatch: AsyncSequence, Sendable {
    public typealias Element = ChangeResource
    public typealias Failure = any Error

    /// What happens to the watch between changes, for a caller that shows it (`coffer watch` notes reconnections).
    public enum Event: Sendable {
        /// Watching after `revision`: the `since` given, or the project's revision when the watch began.
        case started(revision: Int64)
        /// An attempt failed with `error`, the `attempt`-th in a row; the next one follows in `retryingIn`.
        case interrupted(any Error, attempt: Int, retryingIn: Duration)
        /// An attempt succeeded after `failedAttempts` failures; the watch carries on after `revision`.
        case resumed(revision: Int64, failedAttempts: Int)
    }

    /// The client, without its own retries (the watch retries for as long as it runs).
    let client: APIClient
    let path: String
    let since: Int64?
    /// Seconds each long poll waits for a change (1 to 60).
    let wait: Int
    let backoff: RetryBackoff
    let onEvent: (@Sendable (Event) -> Void)?

    init(client: APIClient, path: String, since: Int64?, wait: Int, backoff: RetryBackoff, onEvent: (@Sendable (Event) -> Void)?) {
        var configuration = client.configuration
        configuration.retries = 0
        self.client = APIClient(configuration: configuration, httpClient: client.watching.httpClient)
        self.path = path
        self.since = since
        self.wait = Swift.min(Swift.max(wait, 1), 60)  // 0 would poll without pause
        self.backoff = backoff
        self.onEvent = onEvent
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(watch: self, cursor: since)
    }

    /// Reads the feed page by page as changes are asked for; the changes of a page not yet handed out wait here.
    public struct Iterator: AsyncIteratorProtocol {
        let watch: ChangeWatch
        /// The revision of the last change read (the next poll asks for those after it); nil until the start is known.
        var cursor: Int64?
        var pending: [ChangeResource] = []
        var failures = 0
        var started = false
        var finished = false

        init(watch: ChangeWatch, cursor: Int64?) {
            self.watch = watch
            self.cursor = cursor
        }

        public mutating func next() async throws -> ChangeResource? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> ChangeResource? {
            while !finished {
                if !pending.isEmpty { return pending.removeFirst() }
                if Task.isCancelled { break }
                let body: Data
                do {
                    body = try await watch.read(after: cursor)
                } catch {
                    if Task.isCancelled { break }
                    guard ChangeWatch.isRetryable(error) else {
                        finished = true
                        throw error
                    }
                    failures += 1
                    let delay = watch.backoff.delay(afterFailures: failures)
                    watch.onEvent?(.interrupted(error, attempt: failures, retryingIn: delay))
                    do { try await Task.sleep(for: delay) } catch { break }
                    continue
                }
                do {
                    receive(try watch.client.decode(PagedEnvelope<ChangeFeed>.self, from: body, answering: .GET, watch.path).data)
                } catch {
                    finished = true  // not Coffer's answer (a proxy's page, say): asking again would not change it
                    throw error
                }
            }
            finished = true
            return nil
        }

        /// Takes a page's changes after the cursor (the server sends no others; a repeat would be dropped here).
        mutating func receive(_ page: ChangeFeed) {
            let start = cursor ?? page.revision
            if !started {
                started = true
                watch.onEvent?(.started(revision: start))
            }
            var last = start
            for change in page.changes where change.revision > last {
                pending.append(change)
                last = change.revision
            }
            cursor = last
            if failures > 0 {
                watch.onEvent?(.resumed(revision: last, failedAttempts: failures))
                failures = 0
            }
        }
    }

    /// One long poll for the changes after `revision` (the body of the answer); without a revision, the answer
    /// names the project's current one and no changes.
    func read(after revision: Int64?) async throws -> Data {
        let query = revision.map { [("since", String($0)), ("wait", String(wait))] } ?? []
        // Long enough for the server to wait its full time and answer, and no shorter than the client's own timeout.
        let timeout = Swift.max(client.configuration.timeout, .seconds(wait + 15))
        return try await client.exchange(.GET, path, query: query, timeout: timeout).body
    }

    /// Failures worth another attempt: no answer (refused, reset, timed out), a server error, or too many requests.
    static func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case is TransportError: true
        case let error as APIClientError: error.status >= 500 || error.status == 429
        default: false
        }
    }
}
