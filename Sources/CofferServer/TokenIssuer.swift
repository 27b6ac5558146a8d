import CofferCore
import CofferCrypto
import CofferStore

/// Creates tokens, for `POST /v1/tokens` and `coffer token create` alike: 256 random bits behind the `coffer_`
/// prefix, stored as a SHA-256 hash, the text returned once.
public struct TokenIssuer: Sendable {
    let store: any SecretStore

    public init(store: any SecretStore) {
        self.store = store
    }

    /// Stores a new token for `definition` in `teamId` and returns it with its text. Every project it is limited to,
    /// and its workload, must exist (a typo would otherwise make a token that can do nothing).
    public func issue(_ definition: TokenDefinition, team teamId: String, at now: Timestamp) async throws -> (token: Token, secret: String) {
        try definition.validate(at: now)
        var errors = ValidationError()
        for (index, projectId) in (definition.projectIds ?? []).enumerated()
        where try await store.project(ProjectScope(team: teamId, project: projectId)) == nil {
            errors.add("names project '\(projectId)', which does not exist", at: JSONPath.root.appending("projects").appending(index: index))
        }
        if let workload = definition.workload,
            try await store.workload(id: workload.id, kind: workload.kind, in: ProjectScope(team: teamId, project: workload.projectId)) == nil
        {
            errors.add(
                "names \(workload.kind.rawValue) '\(workload.id)' of project '\(workload.projectId)', which does not exist",
                at: JSONPath.root.appending("workload")
            )
        }
        guard errors.isEmpty else { throw errors }
        let secret = TokenSecret.generate()
        let token = Token(
            id: TokenSecret.generateID(),
            teamId: teamId,
            name: definition.name,
            secretHash: TokenSecret.hash(secret),
            roleName: definition.role.name,
            projectIds: definition.projectIds,
            workload: definition.workload,
            createdAt: now,
            expiresAt: definition.expiresAt
        )
        try await store.createToken(token)
        return (token, secret)
    }
}
