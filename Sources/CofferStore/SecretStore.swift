import CofferCore
import Foundation

/// Where Coffer keeps teams, tokens, projects and secret groups. Every backend (in-memory, SQLite, PostgreSQL) passes
/// the same conformance suite; a method returns only after its change is durable.
public protocol SecretStore: Sendable {
    /// The backend's name as `GET /v1/health` reports it (`memory`, `sqlite`, `postgres`).
    var kind: String { get }

    // MARK: Teams and tokens

    /// Whether the store has no team yet (a fresh store that needs bootstrapping).
    func isEmpty() async throws -> Bool
    /// Creates a team and its first token atomically; `alreadyExists` if the team exists.
    func bootstrap(team: Team, token: Token) async throws
    /// The token with this hash, usable or not.
    func token(hash: Data) async throws -> Token?

    // MARK: Projects

    /// Creates a project; `alreadyExists` if its derived id is taken in the team.
    func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) async throws -> Project
    /// The team's projects ordered by id.
    func projects(team teamId: String) async throws -> [Project]
    func project(_ scope: ProjectScope) async throws -> Project?
    /// Deletes a project with everything in it; false if there was none.
    func deleteProject(_ scope: ProjectScope) async throws -> Bool

    // MARK: Secret groups

    /// Creates the group with the definition's derived id, or replaces its definition; `projectNotFound` if the
    /// project does not exist. Writes to one group are serialised, so concurrent PUTs of one new name both succeed.
    func putGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> (SecretGroup, WriteOutcome)
    /// The group with this id, values opened.
    func group(id: String, in scope: ProjectScope) async throws -> SecretGroup?
}
