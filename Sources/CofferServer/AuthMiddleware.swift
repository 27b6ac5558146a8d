import CofferCore
import CofferCrypto
import CofferStore
import Hummingbird

/// Authenticates `Authorization: Bearer <token>` on every route but the open ones, setting the context's principal.
/// Tokens are looked up by their SHA-256 hash; revoked, expired and unknown tokens are all a 401 with one message.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let store: any SecretStore
    let tokens: TokenCache
    /// Paths answered without a token.
    let openPaths: Set<String> = ["/v1/health"]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let authorization = request.headers[.authorization] else { throw APIError.unauthenticated }
        guard let tokenText = Self.bearerToken(authorization) else {
            throw APIError(.unauthorized, "The Authorization header must be 'Bearer <token>'")
        }
        // The lookup is by SHA-256 of the text, so its timing says nothing about any stored token; the final
        // comparison is constant-time all the same.
        let hash = TokenSecret.hash(tokenText)
        guard let token = try await tokens.token(hash: hash, load: store.token(hash:)), TokenSecret.constantTimeEquals(token.secretHash, hash),
            token.isUsable(at: .now()), let role = Role.builtIn[token.roleName]
        else { throw APIError.invalidToken }
        var context = context
        context.principal = Principal(token: token, role: role)
        // Every change this request makes is audited under this token, route and request id (never the query,
        // which is not needed to say what changed).
        let actor = AuditActor(actor: token.id, route: "\(request.method) \(request.uri.path)", requestId: context.id)
        return try await AuditActor.$current.withValue(actor) { try await next(request, context) }
    }

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
