import CofferCore
import Foundation

/// The reference store: plain values in memory, nothing persisted. It defines the semantics every other backend
/// must match in the conformance suite, and backs fast tests.
public actor MemoryStore: SecretStore {
    private var teams: [String: Team] = [:]
    private var tokens: [Data: Token] = [:]
    private var projectsByScope: [ProjectScope: Project] = [:]
    private var groups: [ProjectScope: [String: SecretGroup]] = [:]

    public init() {}

    public nonisolated var kind: String { "memory" }

    public func isEmpty() -> Bool { teams.isEmpty }

    public func bootstrap(team: Team, token: Token) throws {
        guard teams[team.id] == nil else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
        teams[team.id] = team
        tokens[token.secretHash] = token
    }

    public func token(hash: Data) -> Token? { tokens[hash] }

    public func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) throws -> Project {
        let scope = ProjectScope(team: teamId, project: definition.id)
        guard projectsByScope[scope] == nil else { throw StoreError.projectExists(definition.id) }
        let project = Project(id: definition.id, teamId: teamId, name: definition.name, description: definition.description, createdAt: now)
        projectsByScope[scope] = project
        groups[scope] = [:]
        return project
    }

    public func projects(team teamId: String) -> [Project] {
        projectsByScope.values.filter { $0.teamId == teamId }.sorted { $0.id < $1.id }
    }

    public func project(_ scope: ProjectScope) -> Project? { projectsByScope[scope] }

    public func deleteProject(_ scope: ProjectScope) -> Bool {
        groups[scope] = nil
        return projectsByScope.removeValue(forKey: scope) != nil
    }

    public func putGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) throws -> (SecretGroup, WriteOutcome) {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        if let existing = groups[scope]?[definition.id] {
            let (next, outcome) = existing.replaced(by: definition, at: now)
            groups[scope]?[definition.id] = next
            return (next, outcome)
        }
        let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
        groups[scope]?[definition.id] = group
        return (group, .created)
    }

    public func group(id: String, in scope: ProjectScope) -> SecretGroup? { groups[scope]?[id] }
}
