import CofferAPI

extension APIClient.Create {
    /// `POST /change-sets`: several group operations (`put`, `patch`, `delete`, `link`, `unlink`) applied in one
    /// transaction, or none; with `"dryRun": true` in `data`, only the plan. The answer names keys, never values.
    /// Not retried on a connection error: without an answer, whether the set was applied is unknown.
    public func changeSet(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> ChangeSetResource {
        try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/change-sets", body: data, as: ChangeSetResource.self)
    }
}
