import Foundation
import HTTPTypes
import Hummingbird

/// Limits each token's requests (after authentication, so the key is the token id) and tells the caller where it
/// stands on every answer, errors included: `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset`
/// (seconds). Past the limit: 429 with `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let limiter: RateLimiter
    let clock = ContinuousClock()
    let origin: ContinuousClock.Instant

    init(limit: RateLimit) {
        limiter = RateLimiter(limit: limit)
        origin = clock.now
    }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let principal = context.principal else { return try await next(request, context) }
        let elapsed = clock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let decision = limiter.admit(principal.tokenId, now: seconds)
        var fields: HTTPFields = [
            .rateLimitLimit: String(decision.limit), .rateLimitRemaining: String(decision.remaining),
            .rateLimitReset: String(decision.resetSeconds),
        ]
        guard decision.allowed else {
            fields[.retryAfter] = String(decision.resetSeconds)
            let error = APIError(
                .tooManyRequests,
                "Rate limit exceeded: this token may make \(limiter.limit) requests; retry in \(decision.resetSeconds) s"
            )
            throw ErrorWithHeaders(error: error, headers: fields)
        }
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: fields)
            return response
        } catch {
            throw ErrorWithHeaders(error: error, headers: fields)
        }
    }
}

/// An error whose answer carries extra headers; `ErrorMiddleware` unwraps it.
struct ErrorWithHeaders: Error {
    var error: any Error
    var headers: HTTPFields
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("x-ratelimit-limit")!
    static let rateLimitRemaining = HTTPField.Name("x-ratelimit-remaining")!
    static let rateLimitReset = HTTPField.Name("x-ratelimit-reset")!
}
