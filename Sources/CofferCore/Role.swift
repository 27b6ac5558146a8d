/// A named set of permissions a token carries. Coffer has five built-in roles; a token names one of them.
public struct Role: Sendable, Hashable {
    public let name: String
    public let permissions: Set<Permission>
    /// What the role is for, one line, for `coffer token` help and `GET /v1/tokens/roles`.
    public let summary: String

    public init(name: String, permissions: Set<Permission>, summary: String) {
        self.name = name
        self.permissions = permissions
        self.summary = summary
    }

    /// Everything, including managing tokens: the role of the bootstrap token.
    public static let admin = Role(
        name: "admin",
        permissions: Permission.all,
        summary: "everything, including tokens"
    )

    /// Everything but tokens.
    public static let developer = Role(
        name: "developer",
        permissions: Permission.all.subtracting([.tokensManage]),
        summary: "everything but tokens"
    )

    /// Lists and metadata of every kind; no values, no changes.
    public static let viewer = Role(
        name: "viewer",
        permissions: [.projectsRead, .secretGroupsList, .secretGroupsRead, .servicesRead, .jobsRead, .addonsRead, .auditRead],
        summary: "lists and metadata, no values"
    )

    /// Reads and writes `config`-type groups (a write needs the value permission of the group's type, and this
    /// role reads config values only); reads metadata of everything else.
    public static let configEditor = Role(
        name: "config-editor",
        permissions: [
            .projectsRead, .secretGroupsList, .secretGroupsRead, .secretGroupsCreate, .secretGroupsUpdate, .secretGroupsDelete,
            .configValuesRead, .servicesRead, .jobsRead, .addonsRead,
        ],
        summary: "config-type groups only"
    )

    /// Reads the effective environment of the one workload its token is scoped to (for `coffer run` in production).
    public static let workload = Role(
        name: "workload",
        permissions: [.servicesRead, .jobsRead, .secretValuesRead, .configValuesRead],
        summary: "one workload's effective environment"
    )

    /// The built-in roles by name.
    public static let builtIn: [String: Role] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The built-in roles, most powerful first.
    public static let all: [Role] = [admin, developer, viewer, configEditor, workload]

    /// Whether the role may read the values of groups of `type`.
    public func canReadValues(of type: GroupType) -> Bool {
        permissions.contains(Permission.valuesRead(of: type))
    }
}
