import CofferAPI
import CofferCore

extension APIClient {
    /// `client.get.*`: one resource.
    public struct Get: Sendable {
        let client: APIClient

        public func project(projectId: String, teamId: String? = nil) async throws -> ProjectResource {
            try await client.call(.GET, APIClient.projectPath(projectId, teamId: teamId), as: ProjectResource.self)
        }

        /// `GET /secrets/{id}` with `show=this|inherited|all` (the server's default is `all`).
        public func secret(
            projectId: String,
            teamId: String? = nil,
            secretId: String,
            show: Resolver.Scope? = nil
        ) async throws -> SecretGroupResource {
            try await client.call(
                .GET,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))",
                query: show.map { [("show", $0.rawValue)] } ?? [],
                as: SecretGroupResource.self
            )
        }

        public func secretDetails(projectId: String, teamId: String? = nil, secretId: String) async throws -> SecretGroupDetails {
            try await client.call(
                .GET,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/details",
                as: SecretGroupDetails.self
            )
        }

        public func secretLink(projectId: String, teamId: String? = nil, secretId: String, addonId: String) async throws -> AddonLinkResource {
            try await client.call(
                .GET,
                APIClient.projectPath(projectId, teamId: teamId) + "/secrets/\(APIClient.encode(secretId))/addons/\(APIClient.encode(addonId))",
                as: AddonLinkResource.self
            )
        }

        public func addon(projectId: String, teamId: String? = nil, kind: AddonKind = .addon, addonId: String) async throws -> AddonResource {
            try await client.call(.GET, APIClient.addonPath(projectId, teamId: teamId, kind: kind, id: addonId), as: AddonResource.self)
        }

        public func addonCredentials(
            projectId: String,
            teamId: String? = nil,
            kind: AddonKind = .addon,
            addonId: String
        ) async throws -> AddonCredentials {
            try await client.call(
                .GET,
                APIClient.addonPath(projectId, teamId: teamId, kind: kind, id: addonId) + "/credentials",
                as: AddonCredentials.self
            )
        }

        public func workload(projectId: String, teamId: String? = nil, kind: WorkloadKind, id: String) async throws -> WorkloadResource {
            try await client.call(.GET, APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id), as: WorkloadResource.self)
        }

        /// `GET .../runtime-environment` or `.../build-arguments` of a service or job.
        public func effectiveValues(
            projectId: String,
            teamId: String? = nil,
            kind: WorkloadKind,
            id: String,
            phase: Phase,
            show: Resolver.Scope? = nil,
            replaceTemplatedValues: Bool = false
        ) async throws -> EffectiveValues {
            var query: [(String, String)] = show.map { [("show", $0.rawValue)] } ?? []
            if replaceTemplatedValues { query.append(("replaceTemplatedValues", "true")) }
            return try await client.call(
                .GET,
                APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id) + APIClient.phasePath(phase),
                query: query,
                as: EffectiveValues.self
            )
        }

        /// `GET .../runtime-environment/details` or `.../build-arguments/details`: every key explained.
        public func effectiveValuesDetails(
            projectId: String,
            teamId: String? = nil,
            kind: WorkloadKind,
            id: String,
            phase: Phase
        ) async throws -> EffectiveValuesDetails {
            try await client.call(
                .GET,
                APIClient.workloadPath(projectId, teamId: teamId, kind: kind, id: id) + APIClient.phasePath(phase) + "/details",
                as: EffectiveValuesDetails.self
            )
        }
    }

    static func addonPath(_ projectId: String, teamId: String?, kind: AddonKind, id: String? = nil) -> String {
        projectPath(projectId, teamId: teamId) + (kind == .addon ? "/addons" : "/external-addons") + (id.map { "/\(encode($0))" } ?? "")
    }

    static func workloadPath(_ projectId: String, teamId: String?, kind: WorkloadKind, id: String? = nil) -> String {
        projectPath(projectId, teamId: teamId) + (kind == .service ? "/services" : "/jobs") + (id.map { "/\(encode($0))" } ?? "")
    }

    static func phasePath(_ phase: Phase) -> String {
        phase == .runtime ? "/runtime-environment" : "/build-arguments"
    }
}
