import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `POST|GET /projects` and `GET|DELETE /projects/{projectId}`, under `/v1` and `/v1/teams/{teamId}`.
struct ProjectsController {
    let store: any ProjectRepository
    let bodyParser: RequestBodyParser

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("projects", use: create)
        group.get("projects", use: list)
        group.get("projects/:projectId", use: get)
        group.delete("projects/:projectId", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let principal = try context.require(.projectsManage)
        let teamId = try context.teamId(of: principal)
        // A token limited to some projects manages those, not new ones.
        guard principal.projectIds == nil, principal.workload == nil else { throw APIError.outsideLimits(of: principal) }
        let definition = try ProjectDefinition(validating: try await bodyParser.json(from: request))
        let project = try await store.createProject(definition, team: teamId, at: .now())
        return JSONResponse.make(DataEnvelope(data: ProjectResource(project)))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let principal = try context.require(.projectsRead)
        let projects = try await store.projects(team: try context.teamId(of: principal))
            .filter { principal.mayAddress(project: $0.id) }
            .map(ProjectResource.init)
        return JSONResponse.make(
            PagedEnvelope(data: ProjectList(projects: projects), pagination: Pagination(hasNextPage: false, count: projects.count))
        )
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try context.projectScope(requiring: .projectsRead)
        guard let project = try await store.project(scope) else { throw APIError.projectNotFound(scope.projectId) }
        return JSONResponse.make(DataEnvelope(data: ProjectResource(project)))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try context.projectScope(requiring: .projectsManage)
        guard try await store.deleteProject(scope) else { throw APIError.projectNotFound(scope.projectId) }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()))
    }
}
