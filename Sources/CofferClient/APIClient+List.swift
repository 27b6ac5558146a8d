import CofferAPI
import CofferCore

extension APIClient {
    /// `client.list.*`: collections. `secrets` pages through every group by cursor as an async sequence.
    public struct List: Sendable {
        let client: APIClient

        /// Every group's summary, fetched `perPage` at a time by cursor as the sequence is consumed; with `asOf`, the
        /// groups that existed at that moment, as they were then.
        public func secrets(
            projectId: String,
            teamId: String? = nil,
            perPage: Int = 100,
            asOf: Timestamp? = nil
        ) -> AsyncThrowingStream<SecretGroupSummary, any Error> {
            client.pages(
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets",
                query: asOf.map { [("asOf", $0.rfc3339)] } ?? [],
                perPage: perPage,
                as: SecretGroupList.self,
                items: { $0.secrets }
            )
        }

        /// One page of summaries, by `cursor` or `page`, with its pagination block; with `asOf`, of the groups that
        /// existed at that moment.
        public func secretsPage(
            projectId: String,
            teamId: String? = nil,
            perPage: Int? = nil,
            page: Int? = nil,
            cursor: String? = nil,
            asOf: Timestamp? = nil
        ) async throws -> PagedEnvelope<SecretGroupList> {
            var query: [(String, String)] = []
            if let perPage { query.append(("per_page", String(perPage))) }
            if let page { query.append(("page", String(page))) }
            if let cursor { query.append(("cursor", cursor)) }
            if let asOf { query.append(("asOf", asOf.rfc3339)) }
            return try await client.page(APIClient.projectPath(projectId, teamId: teamId) + "/secrets", query: query, as: SecretGroupList.self)
        }

        /// The team's tokens, revoked and expired ones included (never their text).
        public func tokens(teamId: String? = nil) async throws -> [TokenResource] {
            try await client.call(.GET, APIClient.teamPath(teamId) + "/tokens", as: TokenList.self).tokens
        }

        public func projects(teamId: String? = nil) async throws -> [ProjectResource] {
            try await client.call(.GET, APIClient.teamPath(teamId) + "/projects", as: ProjectList.self).projects
        }

        public func addons(projectId: String, teamId: String? = nil, kind: AddonKind = .addon) async throws -> [AddonSummary] {
            try await client.call(.GET, APIClient.addonPath(projectId, teamId: teamId, kind: kind), as: AddonList.self).addons
        }

        public func workloads(projectId: String, teamId: String? = nil, kind: WorkloadKind) async throws -> [WorkloadSummary] {
            try await client.call(.GET, APIClient.workloadPath(projectId, teamId: teamId, kind: kind), as: WorkloadList.self).workloads
        }

        /// Audit entries of one project (or, with `projectId` nil, of the whole team), oldest first, every page
        /// fetched by cursor. `filters` are the route's query parameters (`actor`, `action`, `since`, ...).
        public func audit(projectId: String?, teamId: String? = nil, filters: [(String, String)] = []) async throws -> [AuditEntryResource] {
            let path = projectId.map { APIClient.projectPath($0, teamId: teamId) + "/audit" } ?? APIClient.teamPath(teamId) + "/audit"
            var entries: [AuditEntryResource] = []
            var cursor: String?
            repeat {
                var query = filters + [("per_page", "100")]
                if let cursor { query.append(("cursor", cursor)) }
                let page = try await client.page(path, query: query, as: AuditEntryList.self)
                entries += page.data.entries
                cursor = page.pagination.hasNextPage ? page.pagination.cursor : nil
            } while cursor != nil
            return entries
        }
    }
}

extension APIClient {
    /// Every item of a paged collection, fetched `perPage` at a time by cursor as the sequence is consumed; `query`
    /// goes with every page.
    func pages<Payload: Codable & Sendable, Item: Sendable>(
        _ path: String,
        query: [(String, String)] = [],
        perPage: Int,
        as: Payload.Type,
        items: @escaping @Sendable (Payload) -> [Item]
    ) -> AsyncThrowingStream<Item, any Error> {
        let client = self
        let (stream, continuation) = AsyncThrowingStream<Item, any Error>.makeStream()
        let task = Task {
            do {
                var cursor: String?
                repeat {
                    var pageQuery = query + [("per_page", String(perPage))]
                    if let cursor { pageQuery.append(("cursor", cursor)) }
                    let page = try await client.page(path, query: pageQuery, as: Payload.self)
                    for item in items(page.data) { continuation.yield(item) }
                    cursor = page.pagination.hasNextPage ? page.pagination.cursor : nil
                } while cursor != nil
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
