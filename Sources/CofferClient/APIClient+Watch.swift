import CofferAPI
import CofferCore

extension APIClient {
    /// `client.watch.*`: what changes, as it changes.
    public struct Watch: Sendable {
        let client: APIClient

        /// Every change of the project after revision `since` (nil: from now), oldest first and each once, read by
        /// long polls of `wait` seconds (1 to 60) and resumed after failures as `ChangeWatch` describes. `onEvent`
        /// is told when the watch starts, is interrupted and resumes.
        public func changes(
            projectId: String,
            teamId: String? = nil,
            since: Int64? = nil,
            wait: Int = 30,
            backoff: RetryBackoff = RetryBackoff(),
            onEvent: (@Sendable (ChangeWatch.Event) -> Void)? = nil
        ) -> ChangeWatch {
            ChangeWatch(
                client: client,
                path: APIClient.projectPath(projectId, teamId: teamId) + "/changes",
                since: since,
                wait: wait,
                backoff: backoff,
                onEvent: onEvent
            )
        }
    }
}

extension APIClient.Get {
    /// `GET .../runtime-environment` or `.../build-arguments` unless it still has the tag `ifNoneMatch` (an `ETag`
    /// an earlier answer gave): `.modified` with the values and their new tag, or `.notModified`. With `wait`
    /// seconds (0 to 60) and a tag, the server holds the request until the values change or the time is up.
    public func effectiveValues(
        projectId: String,
        teamId: String? = nil,
        kind: WorkloadKind,
        id: String,
        phase: Phase,
        show: Resolver.Scope? = nil,
        replaceTemplatedValues: Bool = false,
        ifNoneMatch: String?,
        wait: Int? = nil
    ) async throws -> ConditionalAnswer<EffectiveValues> {
        var query: [(String, String)] = show.map { [("show", $0.rawValue)] } ?? []
        if replaceTemplatedValues { query.append(("replaceTemplatedValues", "true")) }
        if let wait { query.append(("wait", String(wait))) }
        let path = APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id) + APIClient.phasePath(phase)
        // A long poll is part of a watch, which retries by itself.
        let answer = try await (wait == nil ? client : client.watching).exchange(
            .GET,
            path,
            query: query,
            headers: ifNoneMatch.map { [("If-None-Match", $0)] } ?? [],
            acceptingNotModified: ifNoneMatch != nil,
            timeout: wait.map { max(client.configuration.timeout, .seconds($0 + 15)) }
        )
        guard answer.status != 304 else { return .notModified }
        let values = try client.decode(DataEnvelope<EffectiveValues>.self, from: answer.body, answering: .GET, path).data
        return .modified(values, etag: answer.headers.first(name: "ETag"))
    }
}
