import CofferAPI
import CofferCore

extension APIClient.List {
    /// Every recorded version of a group, newest first, fetched `perPage` at a time by cursor as the sequence is
    /// consumed (no values). Works for a deleted group while its history is kept; 404 for an id that never existed.
    public func secretVersions(
        projectId: String,
        teamId: String? = nil,
        secretId: String,
        perPage: Int = 100
    ) -> AsyncThrowingStream<GroupVersionResource, any Error> {
        client.pages(APIClient.versionsPath(projectId, teamId: teamId, secretId: secretId), perPage: perPage, as: GroupVersionList.self) {
            $0.versions
        }
    }

    /// One page of a group's versions, newest first, from `cursor` (nil: the newest), with its pagination block.
    public func secretVersionsPage(
        projectId: String,
        teamId: String? = nil,
        secretId: String,
        perPage: Int? = nil,
        cursor: String? = nil
    ) async throws -> PagedEnvelope<GroupVersionList> {
        var query: [(String, String)] = []
        if let perPage { query.append(("per_page", String(perPage))) }
        if let cursor { query.append(("cursor", cursor)) }
        return try await client.page(APIClient.versionsPath(projectId, teamId: teamId, secretId: secretId), query: query, as: GroupVersionList.self)
    }
}

extension APIClient.Get {
    /// `GET /secrets/{id}/versions/{n}`: the group as it was at `version`, values withheld as a plain GET withholds
    /// them; 404 for a version not kept or the one recording the delete.
    public func secretVersion(projectId: String, teamId: String? = nil, secretId: String, version: Int) async throws -> SecretGroupVersionResource {
        try await client.call(
            .GET,
            APIClient.versionsPath(projectId, teamId: teamId, secretId: secretId) + "/\(version)",
            as: SecretGroupVersionResource.self
        )
    }

    /// `GET /secrets/{id}/diff`: keys added, removed and changed from version `from` to `to` (the server's defaults:
    /// `to` the newest, `from` the one before it; 0 is the group before it existed). With `showValues`, each entry
    /// carries its values before and after (needs the value permission of both versions).
    public func secretDiff(
        projectId: String,
        teamId: String? = nil,
        secretId: String,
        from: Int? = nil,
        to: Int? = nil,
        showValues: Bool = false
    ) async throws -> GroupDiffResource {
        var query: [(String, String)] = []
        if let from { query.append(("from", String(from))) }
        if let to { query.append(("to", String(to))) }
        if showValues { query.append(("showValues", "true")) }
        return try await client.call(
            .GET,
            APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/diff",
            query: query,
            as: GroupDiffResource.self
        )
    }
}

extension APIClient {
    /// `client.rollback.*`: a resource put back as it was at an earlier version.
    public struct Rollback: Sendable {
        let client: APIClient

        /// `POST /secrets/{id}/rollback`: the group becomes what it was at `version`, recorded as a new version (a no-op
        /// when it has that content already). With `ifMatch`, only if the group's current version is that one (else 412).
        public func secret(
            projectId: String,
            teamId: String? = nil,
            secretId: String,
            version: Int,
            ifMatch: Int? = nil
        ) async throws -> SecretGroupResource {
            try await client.call(
                .POST,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/rollback",
                headers: ifMatch.map { [("If-Match", "\"\($0)\"")] } ?? [],
                body: try JSONBody(encoding: RollbackRequest(version: version)),
                as: SecretGroupResource.self
            )
        }
    }

    /// `client.restore.*`: deleted or changed resources brought back from their history.
    public struct Restore: Sendable {
        let client: APIClient

        /// `POST /secrets/{id}/restore`: a deleted group comes back as its last version before the delete; 409 if a
        /// group with that id exists.
        public func secret(projectId: String, teamId: String? = nil, secretId: String) async throws -> SecretGroupResource {
            try await client.call(
                .POST,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/restore",
                as: SecretGroupResource.self
            )
        }

        /// `POST /restore`: every group of the project back as it was at `asOf` (those created since deleted), in one
        /// transaction; with `dryRun`, only the plan, nothing changed. The answer names keys, never values.
        public func project(projectId: String, teamId: String? = nil, asOf: Timestamp, dryRun: Bool = false) async throws -> ProjectRestoreResource {
            try await client.call(
                .POST,
                APIClient.projectPath(projectId, teamId: teamId) + "/restore",
                body: try JSONBody(encoding: ProjectRestoreRequest(asOf: asOf, dryRun: dryRun)),
                as: ProjectRestoreResource.self
            )
        }
    }

    static func versionsPath(_ projectId: String, teamId: String?, secretId: String) -> String {
        projectPath(projectId, teamId: teamId) + "/secrets/\(encode(secretId))/versions"
    }
}
