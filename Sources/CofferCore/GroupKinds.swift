/// Whether a group's values are secrets or plain configuration; each has its own read permission.
public enum GroupType: String, Sendable, Codable, CaseIterable {
    case secret
    case config
}

/// The phases a group feeds: runtime environment, build arguments, or both.
public enum SecretType: String, Sendable, Codable, CaseIterable {
    case environment
    case arguments
    case environmentArguments = "environment-arguments"
}

/// How a restriction's tags combine: `and` needs all of them on the workload, `or` any one.
public enum TagMatchCondition: String, Sendable, Codable, CaseIterable {
    case and
    case or
}

/// The two kinds of workload a restriction can name.
public enum WorkloadKind: String, Sendable, Codable, CaseIterable {
    case service
    case job
}

/// The text encoding a file's bytes had before they were base64-encoded.
public enum FileEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case ascii
    case latin1
    case utf16le
    case binary
}
