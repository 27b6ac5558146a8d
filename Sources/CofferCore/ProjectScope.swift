/// A project as seen from its team: the key under which a project's groups are stored and sealed.
public struct ProjectScope: Sendable, Hashable, CustomStringConvertible {
    public var teamId: String
    public var projectId: String

    public init(team teamId: String, project projectId: String) {
        self.teamId = teamId
        self.projectId = projectId
    }

    public var description: String { "\(teamId)/\(projectId)" }
}
