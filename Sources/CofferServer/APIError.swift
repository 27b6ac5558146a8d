import CofferCore
import HTTPTypes

/// An error answered to the client with the error envelope: status, a human sentence, and details by JSON path.
/// Messages name fields, rules and identifiers, never values.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var details: [String: [String]]?

    public init(_ status: HTTPResponse.Status, _ message: String, details: [String: [String]]? = nil) {
        self.status = status
        self.message = message
        self.details = details
    }

    public var description: String { "\(status.code) \(message)" }

    static let unauthenticated = APIError(.unauthorized, "Missing authentication: send 'Authorization: Bearer <token>'")
    static let invalidToken = APIError(.unauthorized, "The token used to authenticate is not valid")

    static func forbidden(missing permission: Permission) -> APIError {
        APIError(
            .forbidden,
            "The token used to authenticate does not have permission to access this endpoint. The required permission is '\(permission.name)'."
        )
    }

    /// A token limited to some projects, or to one workload, addressing something else.
    static func outsideLimits(of principal: Principal) -> APIError {
        let scope: String
        if let workload = principal.workload {
            scope = "\(workload.kind.rawValue) '\(workload.id)' of project '\(workload.projectId)'"
        } else {
            scope = "the projects " + (principal.projectIds ?? []).map { "'\($0)'" }.joined(separator: ", ")
        }
        return APIError(.forbidden, "The token used to authenticate is limited to \(scope)")
    }

    static func projectNotFound(_ id: String) -> APIError {
        APIError(.notFound, "Project '\(id)' not found")
    }

    static func secretNotFound(_ id: String) -> APIError {
        APIError(.notFound, "Secret '\(id)' not found")
    }

    static func addonNotFound(_ id: String, kind: AddonKind) -> APIError {
        APIError(.notFound, "\(kind.displayName) '\(id)' not found")
    }
}
