import CofferAPI
import CofferClient
import CofferCore
import Foundation

/// Watches a workload's runtime environment (templates resolved) for `coffer run --watch`: long polls with
/// `If-None-Match` and `wait`, and reports a change once it has settled (no further change for `debounce`). A failed
/// read is retried with backoff and changes nothing. A server that sends no `ETag` is asked again every
/// `minimumInterval`, and its answer counts as a change only when it differs from the last one.
struct EnvironmentWatcher: Sendable {
    let client: APIClient
    let projectId: String
    let teamId: String?
    let kind: WorkloadKind
    let id: String
    /// How long a change must stand before it is reported: writes made together restart the command once.
    var debounce: Duration = .milliseconds(500)
    var backoff = RetryBackoff(initial: .milliseconds(250), maximum: .seconds(10))
    /// Seconds each long poll waits for a change.
    var wait = 30
    /// The shortest time between two polls that found nothing new, against a server that answers at once.
    var minimumInterval: Duration = .seconds(1)

    /// The values now and their tag, without a condition.
    func read() async throws -> (values: EffectiveValues, etag: String?) {
        guard case .modified(let values, let etag) = try await read(ifNoneMatch: nil, wait: nil) else {
            throw CLIError("The server answered 304 Not Modified to a read without If-None-Match")
        }
        return (values, etag)
    }

    func read(ifNoneMatch etag: String?, wait: Int?) async throws -> ConditionalAnswer<EffectiveValues> {
        try await client.get.effectiveValues(
            projectId: projectId,
            teamId: teamId,
            kind: kind,
            id: id,
            phase: .runtime,
            replaceTemplatedValues: true,
            ifNoneMatch: etag,
            wait: etag == nil ? nil : wait
        )
    }

    /// Calls `changed` with each settled new environment after `current` (tagged `etag`) until the task is
    /// cancelled; `note` is given a line for standard error when reading fails and when it works again.
    func run(
        from current: EffectiveValues,
        etag: String?,
        changed: @Sendable (EffectiveValues) -> Void,
        note: @Sendable (String) -> Void
    ) async {
        var known = (values: current, etag: etag)  // the last answer read
        var running = current  // what the command was given
        var failures = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                if case .modified(let values, let etag) = try await read(ifNoneMatch: known.etag, wait: wait) { known = (values, etag) }
                if failures > 0 { note("reading the runtime environment again after \(failures) failed attempt\(failures == 1 ? "" : "s")") }
                failures = 0
                if known.values != running {
                    known = try await settled(known)
                    // Changed and changed back while settling: nothing to do.
                    if known.values != running {
                        running = known.values
                        changed(running)
                    }
                    continue
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures == 1 { note("cannot read the runtime environment (\(error)); the command keeps running, retrying") }
                do { try await Task.sleep(for: backoff.delay(afterFailures: failures)) } catch { return }
                continue
            }
            // Nothing new: again at once after a long poll that waited, a little later after one answered at once.
            let elapsed = ContinuousClock.now - started
            if elapsed < minimumInterval {
                do { try await Task.sleep(for: minimumInterval - elapsed) } catch { return }
            }
        }
    }

    /// Waits `debounce` after a change, and again after every further one, and answers the last.
    func settled(_ first: (values: EffectiveValues, etag: String?)) async throws -> (values: EffectiveValues, etag: String?) {
        var latest = first
        while true {
            try await Task.sleep(for: debounce)
            guard case .modified(let values, let etag) = try await read(ifNoneMatch: latest.etag, wait: 0) else { return latest }
            let unchanged = values == latest.values
            latest = (values, etag)
            if unchanged { return latest }
        }
    }
}
