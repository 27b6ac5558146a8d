import CofferCore
import Foundation

/// Projects of a team. Every write returns only after its change is durable and appends its audit entry
/// (actor from `AuditActor.current`) in the same transaction; a write that changes nothing appends nothing.
public protocol ProjectRepository: Sendable {
    /// Creates a project; `alreadyExists` if its derived id is taken in the team.
    func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project
    /// The team's projects ordered by id.
    func projects(team teamId: String) async throws -> [Project]
    func project(_ scope: ProjectScope) async throws -> Project?
    /// Deletes a project with everything in it; false if there was none.
    func deleteProject(_ scope: ProjectScope) async throws -> Bool
}
