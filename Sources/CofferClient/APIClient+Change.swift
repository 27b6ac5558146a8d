import CofferAPI
import CofferCore

extension APIClient {
    /// `client.patch.*`: partial updates answering the full resource.
    public struct Patch: Sendable {
        let client: APIClient

        public func secret(projectId: String, teamId: String? = nil, secretId: String, data: JSONBody) async throws -> SecretGroupResource {
            try await client.call(
                .PATCH,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))",
                body: data,
                as: SecretGroupResource.self
            )
        }

        public func addon(
            projectId: String,
            teamId: String? = nil,
            kind: AddonKind = .addon,
            addonId: String,
            data: JSONBody
        ) async throws -> AddonResource {
            try await client.call(.PATCH, APIClient.addonPath(projectId, teamId: teamId, kind: kind, id: addonId), body: data, as: AddonResource.self)
        }

        public func workload(
            projectId: String,
            teamId: String? = nil,
            kind: WorkloadKind,
            id: String,
            data: JSONBody
        ) async throws -> WorkloadResource {
            try await client.call(
                .PATCH,
                APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id),
                body: data,
                as: WorkloadResource.self
            )
        }
    }

    /// `client.update.*`: POST updates.
    public struct Update: Sendable {
        let client: APIClient

        /// `POST /secrets/{id}`: partial update without `tags`/`stageId`.
        public func secret(projectId: String, teamId: String? = nil, secretId: String, data: JSONBody) async throws {
            _ = try await client.send(.POST, APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))", body: data)
        }

        /// `POST /secrets/{id}/addons/{addonId}`: creates the link or replaces its keys.
        public func secretLink(projectId: String, teamId: String? = nil, secretId: String, addonId: String, data: JSONBody) async throws -> LinkedKeys
        {
            try await client.call(
                .POST,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/addons/\(APIClient.encode(addonId))",
                body: data,
                as: LinkedKeys.self
            )
        }

        /// `POST .../runtime-environment` or `.../build-arguments`: sets the workload's own values of a phase.
        public func effectiveValues(
            projectId: String,
            teamId: String? = nil,
            kind: WorkloadKind,
            id: String,
            phase: Phase,
            data: JSONBody
        ) async throws {
            _ = try await client.send(
                .POST,
                APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id) + APIClient.phasePath(phase),
                body: data
            )
        }
    }

    /// `client.delete.*`.
    public struct Delete: Sendable {
        let client: APIClient

        /// Revokes a token; it stays listed, marked revoked.
        @discardableResult
        public func token(id: String, teamId: String? = nil) async throws -> TokenResource {
            try await client.call(.DELETE, APIClient.teamPath(teamId) + "/tokens/\(APIClient.encode(id))", as: TokenResource.self)
        }

        public func project(projectId: String, teamId: String? = nil) async throws {
            _ = try await client.send(.DELETE, APIClient.projectPath(projectId, teamId: teamId))
        }

        public func secret(projectId: String, teamId: String? = nil, secretId: String) async throws {
            _ = try await client.send(.DELETE, APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))")
        }

        public func secretLink(projectId: String, teamId: String? = nil, secretId: String, addonId: String) async throws {
            let path = APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/addons/\(APIClient.encode(addonId))"
            _ = try await client.send(.DELETE, path)
        }

        public func addon(projectId: String, teamId: String? = nil, kind: AddonKind = .addon, addonId: String) async throws {
            _ = try await client.send(.DELETE, APIClient.addonPath(projectId, teamId: teamId, kind: kind, id: addonId))
        }

        public func workload(projectId: String, teamId: String? = nil, kind: WorkloadKind, id: String) async throws {
            _ = try await client.send(.DELETE, APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id))
        }
    }
}
