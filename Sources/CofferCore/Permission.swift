/// A permission, named with the reference API's wording so a 403 reads the same as there.
public struct Permission: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    public static let projectsManage = Permission("Team > Projects > Manage")
    public static let projectsRead = Permission("Team > Projects > Read")
    public static let secretGroupsList = Permission("Project > Secrets > SecretGroups > List")
    public static let secretGroupsCreate = Permission("Project > Secrets > SecretGroups > Create")
    public static let secretGroupsUpdate = Permission("Project > Secrets > SecretGroups > Update")
    public static let secretGroupsDelete = Permission("Project > Secrets > SecretGroups > Delete")
    public static let secretGroupsRead = Permission("Project > Secrets > SecretGroups > Read")
    public static let secretValuesRead = Permission("Project > Secrets > General > Read")
    public static let configValuesRead = Permission("Project > Secrets > Config > Read")
    public static let servicesRead = Permission("Project > Secrets > Services > Read")
    public static let servicesUpdate = Permission("Project > Secrets > Services > Update")
    public static let jobsRead = Permission("Project > Secrets > Jobs > Read")
    public static let jobsUpdate = Permission("Project > Secrets > Jobs > Update")
    public static let addonsRead = Permission("Project > Addons > Read")
    public static let addonsManage = Permission("Project > Addons > Manage")
    public static let tokensManage = Permission("Team > Tokens > Manage")
    /// Reading the audit log (not in the reference API, which has no audit route).
    public static let auditRead = Permission("Project > Audit > Read")

    /// Every permission there is.
    public static let all: Set<Permission> = [
        .projectsManage, .projectsRead, .secretGroupsList, .secretGroupsCreate, .secretGroupsUpdate, .secretGroupsDelete,
        .secretGroupsRead, .secretValuesRead, .configValuesRead, .servicesRead, .servicesUpdate, .jobsRead, .jobsUpdate,
        .addonsRead, .addonsManage, .tokensManage, .auditRead,
    ]

    /// The permission that reveals the values of groups of `type`.
    public static func valuesRead(of type: GroupType) -> Permission {
        type == .secret ? .secretValuesRead : .configValuesRead
    }
}
