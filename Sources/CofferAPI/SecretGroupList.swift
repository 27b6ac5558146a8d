import CofferCore

/// `GET /secrets`: summaries without values, inside the paged envelope.
public struct SecretGroupList: Codable, Sendable, Equatable {
    public var secrets: [SecretGroupSummary]

    public init(secrets: [SecretGroupSummary]) {
        self.secrets = secrets
    }
}
