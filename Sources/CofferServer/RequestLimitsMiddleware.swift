import HTTPTypes
import Hummingbird

/// Refuses oversized request heads before any other work, with the error envelope: a target (path and query) over
/// `maximumTargetBytes` is 414, header fields over `maximumHeaderBytes` in total are 431. (SwiftNIO's parser has its
/// own, larger bound of 80 KiB, past which the connection is answered 400 and closed.)
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let maximumTargetBytes: Int
    let maximumHeaderBytes: Int

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard request.uri.string.utf8.count <= maximumTargetBytes else {
            throw APIError(.uriTooLong, "The request target is longer than \(maximumTargetBytes) bytes")
        }
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        guard headerBytes <= maximumHeaderBytes else {
            throw APIError(.requestHeaderFieldsTooLarge, "The request's header fields are larger than \(maximumHeaderBytes) bytes in total")
        }
        return try await next(request, context)
    }
}
