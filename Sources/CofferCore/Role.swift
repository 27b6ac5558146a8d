/// A named set of permissions a token carries.
public struct Role: Sendable, Hashable {
    public let name: String
    public let permissions: Set<Permission>

    public init(name: String, permissions: Set<Permission>) {
        self.name = name
        self.permissions = permissions
    }

    /// Everything, including managing tokens: the role of the bootstrap token.
    public static let admin = Role(
        name: "admin",
        permissions: [
            .projectsManage, .projectsRead, .secretGroupsList, .secretGroupsCreate, .secretGroupsUpdate, .secretGroupsDelete,
            .secretGroupsRead, .secretValuesRead, .configValuesRead, .addonsRead, .addonsManage, .servicesRead, .servicesUpdate, .jobsRead,
            .jobsUpdate,
            .tokensManage,
        ]
    )

    /// The built-in roles by name.
    public static let builtIn: [String: Role] = [admin.name: admin]
}
