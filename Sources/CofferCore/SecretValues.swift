/// The values a group carries: variables, files and Docker build-secret mounts. This is what gets sealed at rest.
public struct SecretValues: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var variables: [String: String]
    public var files: [String: SecretFile]
    public var dockerSecretMounts: [String: SecretFile]

    public init(variables: [String: String] = [:], files: [String: SecretFile] = [:], dockerSecretMounts: [String: SecretFile] = [:]) {
        self.variables = variables
        self.files = files
        self.dockerSecretMounts = dockerSecretMounts
    }

    /// Redacted: names the keys' counts, never the values.
    public var description: String {
        "SecretValues(\(variables.count) variables, \(files.count) files, \(dockerSecretMounts.count) docker secret mounts)"
    }
}

extension SecretValues {
    public var debugDescription: String { description }

    enum CodingKeys: String, CodingKey {
        case variables
        case files
        case dockerSecretMounts
    }

    /// Variables become `null` and files keep only their encoding when the encoder withholds values.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values: variables, forKey: .variables, withholding: encoder.withholdsValues)
        try container.encode(files, forKey: .files)
        try container.encode(dockerSecretMounts, forKey: .dockerSecretMounts)
    }
}
