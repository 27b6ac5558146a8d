import CofferCore
import CofferCrypto
import CofferStore
import Hummingbird

extension APIError {
    /// The one place where errors from every layer become HTTP answers. Anything unknown is a 500 with no detail.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as ValidationError:
            var details: [String: [String]] = [:]
            for issue in error.issues { details[issue.path] = issue.messages }
            return APIError(
                .badRequest,
                "Validation failed: the request body breaks \(error.issues.count) rule(s), listed in details",
                details: details
            )
        case let error as JSONSyntaxError:
            return APIError(
                .badRequest,
                error.description,
                details: ["body": ["malformed JSON at line \(error.line), column \(error.column) (byte \(error.offset)): \(error.reason)"]]
            )
        case let error as StoreError
        where [.projectNotFound, .groupNotFound, .addonNotFound, .workloadNotFound, .teamNotFound, .versionNotFound].contains(error.code):
            return APIError(.notFound, error.message)
        case let failure as ChangeSetFailure:
            // The operation's own answer, with its details (or its message) keyed below `operations[i]`.
            guard let inner = from(failure.error) else { return nil }
            let path = "operations[\(failure.index)]"
            var details: [String: [String]] = [path: [inner.message]]
            if let innerDetails = inner.details {
                details = [:]
                for (key, messages) in innerDetails { details[ValidationError.key(key, nestedUnder: path)] = messages }
            }
            return APIError(inner.status, "Operation \(failure.index) of the change set failed, so nothing was changed: \(inner.message)", details: details)
        case let error as StoreError where error.code == .linkNotFound:
            return APIError(.notFound, error.message)
        case let error as StoreError where error.code == .historyNotKept:
            return APIError(.badRequest, error.message, details: ["asOf": [error.message]])
        case let error as StoreError where error.code == .versionMismatch:
            return APIError(.preconditionFailed, error.message)
        case let error as StoreError where error.code == .addonInUse:
            return APIError(.conflict, error.message)
        case let error as StoreError where error.code == .alreadyExists:
            return APIError(.conflict, error.message)
        case let error as StoreError where error.code == .unavailable:
            // The store's message names no host or driver detail; the cause is in the server log.
            return APIError(.serviceUnavailable, error.message)
        case let error as HTTPError:
            return APIError(error.status, error.body ?? Self.defaultMessage(for: error.status))
        default:
            return nil
        }
    }

    static func defaultMessage(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No route matches this method and path"
        case .contentTooLarge: "The request body is larger than the limit"
        case .methodNotAllowed: "This method is not allowed on this path"
        default: status.reasonPhrase
        }
    }

    static let internalServer = APIError(.internalServerError, "Internal server error; the request id identifies it in the server log")
}
