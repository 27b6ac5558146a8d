import CofferAPI

extension APIClient {
    /// `client.put.*`: create-or-replace calls.
    public struct Put: Sendable {
        let client: APIClient

        /// `PUT /secrets`: creates the group or replaces the one with the name's derived id.
        public func secret(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> SecretGroupResource {
            try await client.call(.PUT, APIClient.projectPath(projectId, teamId: teamId) + "/secrets", body: data, as: SecretGroupResource.self)
        }
    }

    /// `client.create.*`.
    public struct Create: Sendable {
        let client: APIClient

        /// `POST /tokens`: the new token and, this once, its text (`Team > Tokens > Manage`).
        public func token(teamId: String? = nil, data: JSONBody) async throws -> CreatedToken {
            try await client.call(.POST, APIClient.teamPath(teamId) + "/tokens", body: data, as: CreatedToken.self)
        }

        /// `POST /projects`.
        public func project(teamId: String? = nil, data: JSONBody) async throws -> ProjectResource {
            try await client.call(.POST, APIClient.teamPath(teamId) + "/projects", body: data, as: ProjectResource.self)
        }

        /// `POST /secrets`: 409 when the derived id is taken.
        public func secret(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> SecretGroupResource {
            try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/secrets", body: data, as: SecretGroupResource.self)
        }

        /// `POST /addons`.
        public func addon(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> AddonResource {
            try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/addons", body: data, as: AddonResource.self)
        }

        /// `POST /external-addons`.
        public func externalAddon(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> AddonResource {
            try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/external-addons", body: data, as: AddonResource.self)
        }

        /// `POST /services`.
        public func service(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> WorkloadResource {
            try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/services", body: data, as: WorkloadResource.self)
        }

        /// `POST /jobs`.
        public func job(projectId: String, teamId: String? = nil, data: JSONBody) async throws -> WorkloadResource {
            try await client.call(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/jobs", body: data, as: WorkloadResource.self)
        }
    }
}
