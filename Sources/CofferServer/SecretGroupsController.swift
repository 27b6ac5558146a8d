import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// The secret-group routes under `/v1/projects/{projectId}` and `/v1/teams/{teamId}/projects/{projectId}`.
struct SecretGroupsController {
    let store: any SecretStore
    let bodyParser: RequestBodyParser
    let limits: ValidationLimits

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.put("projects/:projectId/secrets", use: put)
    }

    /// Create-or-update by the name's derived id: full replacement, `createdAt` kept, a no-op when nothing changed.
    @Sendable func put(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try context.projectScope(requiring: .secretGroupsCreate)
        // An unknown project answers 404 before the body is judged; the store checks again inside its transaction.
        guard try await store.project(scope) != nil else { throw APIError.projectNotFound(scope.projectId) }
        let body = try await bodyParser.json(from: request)
        let definition = try SecretGroupDefinition(validating: body, limits: limits)
        let (group, _) = try await store.putGroup(definition, in: scope, at: .now())
        return Self.groupResponse(group)
    }

    /// `{"data": group}` with the group's version as its `ETag`.
    static func groupResponse(_ group: SecretGroup) -> Response {
        JSONResponse.make(DataEnvelope(data: SecretGroupResource(group)), headers: [.eTag: "\"\(group.version)\""])
    }
}
