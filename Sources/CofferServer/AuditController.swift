import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `GET /projects/{projectId}/audit` (one project's entries) and `GET /audit` (the whole team's, tokens included),
/// under `/v1` and `/v1/teams/{teamId}`: oldest first, filtered by `actor`, `action`, `resourceType`, `resourceId`,
/// `since` and `until` (RFC 3339, `until` exclusive), paged by `per_page` and `cursor`.
struct AuditController {
    let store: any AuditRepository & ProjectRepository

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("projects/:projectId/audit", use: project)
        group.get("audit", use: team)
    }

    @Sendable func project(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .auditRead, in: store)
        var query = try Self.query(request.uri.queryParameters)
        query.teamId = scope.teamId
        query.projectId = scope.projectId
        return try await page(query)
    }

    /// The team-wide log names every project, so a token limited to some projects cannot read it.
    @Sendable func team(_ request: Request, context: APIContext) async throws -> Response {
        let principal = try context.require(.auditRead)
        guard principal.projectIds == nil, principal.workload == nil else { throw APIError.outsideLimits(of: principal) }
        var query = try Self.query(request.uri.queryParameters)
        query.teamId = try context.teamId(of: principal)
        return try await page(query)
    }

    func page(_ query: AuditQuery) async throws -> Response {
        var query = query
        let perPage = query.limit
        query.limit = perPage + 1
        let fetched = try await store.auditEntries(query)
        let entries = Array(fetched.prefix(perPage))
        let hasNextPage = fetched.count > perPage
        return JSONResponse.make(
            PagedEnvelope(
                data: AuditEntryList(entries: entries.map(AuditEntryResource.init)),
                pagination: Pagination(
                    hasNextPage: hasNextPage,
                    cursor: hasNextPage ? entries.last.map { PageRequest.cursor(after: String($0.sequence)) } : nil,
                    count: entries.count
                )
            )
        )
    }

    static func query(_ parameters: Parameters) throws -> AuditQuery {
        let paging = try PageRequest(parameters)
        var details: [String: [String]] = [:]
        var query = AuditQuery(limit: paging.perPage)
        if parameters["page"] != nil { details["page"] = ["is not supported here; page with cursor"] }
        if let cursor = paging.after {
            if let sequence = Int64(cursor) { query.after = sequence } else { details["cursor"] = ["is not a cursor this server issued"] }
        }
        query.actor = parameters["actor"].map(String.init)
        query.resourceId = parameters["resourceId"].map(String.init)
        if let text = parameters["action"] {
            query.action = AuditAction(rawValue: String(text))
            if query.action == nil { details["action"] = ["must be one of: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", "))"] }
        }
        if let text = parameters["resourceType"] {
            query.resourceType = AuditResourceType(rawValue: String(text))
            if query.resourceType == nil {
                details["resourceType"] = ["must be one of: \(AuditResourceType.allCases.map(\.rawValue).joined(separator: ", "))"]
            }
        }
        for (name, keyPath) in [("since", \AuditQuery.since), ("until", \AuditQuery.until)] {
            guard let text = parameters[Substring(name)] else { continue }
            if let timestamp = Timestamp(rfc3339: String(text)) {
                query[keyPath: keyPath] = timestamp
            } else {
                details[name] = ["must be an RFC 3339 timestamp such as 2026-11-28T17:00:00.000Z"]
            }
        }
        guard details.isEmpty else { throw APIError(.badRequest, "Invalid audit query parameters", details: details) }
        return query
    }
}
