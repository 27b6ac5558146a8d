import CofferCore

/// Who a request acts as: the token that authenticated it, its team and its role.
public struct Principal: Sendable, Hashable {
    public var tokenId: String
    public var teamId: String
    public var role: Role

    public init(tokenId: String, teamId: String, role: Role) {
        self.tokenId = tokenId
        self.teamId = teamId
        self.role = role
    }
}
