import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `GET|POST /tokens`, `GET|DELETE /tokens/{tokenId}` under `/v1` and `/v1/teams/{teamId}`: the team's tokens, for
/// holders of `Team > Tokens > Manage`. DELETE revokes: the token stays listed, marked revoked, and stops working at once.
struct TokensController {
    let store: any SecretStore
    let bodyParser: RequestBodyParser
    let tokens: TokenCache

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("tokens", use: list)
        group.post("tokens", use: create)
        group.get("tokens/:tokenId", use: get)
        group.delete("tokens/:tokenId", use: revoke)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let teamId = try team(context)
        let now = Timestamp.now()
        let tokens = try await store.tokens(team: teamId).map { TokenResource($0, at: now) }
        return JSONResponse.make(PagedEnvelope(data: TokenList(tokens: tokens), pagination: Pagination(hasNextPage: false, count: tokens.count)))
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let teamId = try team(context)
        let now = Timestamp.now()
        let definition = try TokenDefinition(validating: try await bodyParser.json(from: request), at: now)
        let (token, secret) = try await TokenIssuer(store: store).issue(definition, team: teamId, at: now)
        return JSONResponse.make(DataEnvelope(data: CreatedToken(token: TokenResource(token, at: now), secret: secret)))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let teamId = try team(context)
        let id = try context.parameters.require("tokenId")
        guard let token = try await store.tokens(team: teamId).first(where: { $0.id == id }) else { throw Self.notFound(id) }
        return JSONResponse.make(DataEnvelope(data: TokenResource(token, at: .now())))
    }

    @Sendable func revoke(_ request: Request, context: APIContext) async throws -> Response {
        let teamId = try team(context)
        let id = try context.parameters.require("tokenId")
        let now = Timestamp.now()
        guard let token = try await store.revokeToken(id: id, team: teamId, at: now) else { throw Self.notFound(id) }
        tokens.forget(id: id)
        return JSONResponse.make(DataEnvelope(data: TokenResource(token, at: now)))
    }

    func team(_ context: APIContext) throws -> String {
        let principal = try context.require(.tokensManage)
        return try context.teamId(of: principal)
    }

    static func notFound(_ id: String) -> APIError {
        APIError(.notFound, "Token '\(id)' not found")
    }
}
