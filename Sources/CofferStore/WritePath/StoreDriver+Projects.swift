import CofferCore
import Foundation

extension StoreDriver {
    public func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project {
        let actor = AuditActor.current
        let scope = ProjectScope(team: teamId, project: definition.id)
        let project = Project(id: definition.id, teamId: teamId, name: definition.name, description: definition.description, createdAt: now)
        let created: Project = try await submit(reads: [.project(scope), .wrappingKeyID]) { rows in
            guard rows.project(scope) == nil else { throw StoreError.projectExists(project.id) }
            let dataKey = try self.codec.newDataKey(for: scope, generation: 1, wrappingKeyID: rows.wrappingKeyID)
            return (
                project, [.insertProject(ProjectRow(project: project, dataKeyGeneration: 1), dataKey: dataKey)],
                [.change(.create, .project, id: project.id, team: teamId, project: project.id, at: now, by: actor)]
            )
        }
        codec.dataKeys.forget(scope)
        return created
    }

    public func projects(team teamId: String) async throws -> [Project] {
        try await load([.projects(team: teamId)]).projects(.projects(team: teamId)).map(\.project)
    }

    public func project(_ scope: ProjectScope) async throws -> Project? {
        try await load([.project(scope)]).project(scope)?.row.project
    }

    public func deleteProject(_ scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        let deleted: Bool = try await submit(reads: [.project(scope)]) { rows in
            guard rows.project(scope) != nil else { return (false, [], []) }
            return (
                true, [.deleteProject(scope)],
                [.change(.delete, .project, id: scope.projectId, team: scope.teamId, project: scope.projectId, at: .now(), by: actor)]
            )
        }
        codec.dataKeys.forget(scope)
        return deleted
    }
}
