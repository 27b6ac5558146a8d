import CofferCore
import Foundation

/// A project as its table stores it: the project, and the data-key generation new values are sealed under.
public struct ProjectRow: Sendable, Hashable {
    public var project: Project
    public var dataKeyGeneration: Int

    public init(project: Project, dataKeyGeneration: Int) {
        self.project = project
        self.dataKeyGeneration = dataKeyGeneration
    }

    public var scope: ProjectScope { ProjectScope(team: project.teamId, project: project.id) }
}
