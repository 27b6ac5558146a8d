import CofferAPI
import CofferCrypto
import CofferStore
import HTTPTypes
import Hummingbird
import Logging

/// Outermost middleware: stamps `X-Request-Id` on every response and turns every thrown error into the error
/// envelope. Unexpected errors are logged by type and safe message only, and answered as a bare 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            return response
        } catch let decorated as ErrorWithHeaders {
            var response = Self.response(for: decorated.error, context: context)
            response.headers.append(contentsOf: decorated.headers)
            return response
        } catch {
            return Self.response(for: error, context: context)
        }
    }

    /// The envelope answer for `error`.
    static func response(for error: any Error, context: APIContext) -> Response {
        let apiError: APIError
        if let mapped = APIError.from(error) {
            apiError = mapped
        } else {
            context.logger.error(
                "Unhandled error",
                metadata: ["error.type": "\(type(of: error))", "error.message": "\(Self.safeMessage(error))"]
            )
            apiError = .internalServer
        }
        var response = JSONResponse.make(
            ErrorEnvelope(error: .init(status: apiError.status.code, message: apiError.message, id: context.id, details: apiError.details)),
            status: apiError.status
        )
        response.headers[.requestID] = context.id
        return response
    }

    /// Only messages from our own error types are known to carry no values; anything else is named by type alone.
    static func safeMessage(_ error: any Error) -> String {
        switch error {
        case let error as StoreError: error.message
        case let error as CryptoError: error.message
        default: "(not logged: unknown error type)"
        }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
