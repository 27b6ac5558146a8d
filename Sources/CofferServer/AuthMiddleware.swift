import CofferCore
import CofferCrypto
import CofferStore
import Hummingbird

/// Authenticates `Authorization: Bearer <token>` on every route but the open ones, setting the context's principal.
/// Tokens are looked up by their SHA-256 hash; revoked, expired and unknown tokens are all a 401 with one message.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let store: any TokenRepository
    let tokens: TokenCache
    /// Paths answered without a token (`/metrics` too with `--metrics-public`).
    var openPaths: Set<String> = ["/v1/health", "/v1/ready", "/v1/openapi.json"]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) || Self.isConsoleFile(request.uri.path) { return try await next(request, context) }
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

    /// The web console's page (`/`) and files (`/console/...`): static, holding no data, so a browser can load them
    /// before its user signs in; what the page then shows it reads through the API with that user's token.
    static func isConsoleFile(_ path: String) -> Bool {
        // One segment after the prefix, as the console's route has: `/console/../v1/...` is not a console file.
        path == "/" || (path.hasPrefix(ConsoleController.prefix) && !path.dropFirst(ConsoleController.prefix.count).contains("/"))
    }

    /// The token of `Bearer <token>` (scheme in any case, spaces or tabs around the token), else nil. Scanned byte by
    /// byte: it runs on every request.
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var index = utf8.startIndex
        while index < utf8.endIndex, utf8[index] == space { index = utf8.index(after: index) }
        for expected in "bearer".utf8 {
            guard index < utf8.endIndex, utf8[index] | 0x20 == expected else { return nil }
            index = utf8.index(after: index)
        }
        guard index < utf8.endIndex, utf8[index] == space else { return nil }
        while index < utf8.endIndex, utf8[index] == space || utf8[index] == tab { index = utf8.index(after: index) }
        var end = utf8.endIndex
        while end > index, utf8[utf8.index(before: end)] == space || utf8[utf8.index(before: end)] == tab { end = utf8.index(before: end) }
        guard index < end else { return nil }
        return String(header[index..<end])
    }
}
