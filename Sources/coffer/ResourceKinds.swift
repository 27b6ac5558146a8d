import CofferCore

/// Picks addons or external addons for the commands shared by both.
protocol AddonKindMarker: Sendable {
    static var kind: AddonKind { get }
    /// The CLI noun: `addon` or `external-addon`.
    static var noun: String { get }
}

enum RegularAddon: AddonKindMarker {
    static let kind = AddonKind.addon
    static let noun = "addon"
}

enum ExternalAddon: AddonKindMarker {
    static let kind = AddonKind.external
    static let noun = "external-addon"
}

/// Picks services or jobs for the commands shared by both.
protocol WorkloadKindMarker: Sendable {
    static var kind: WorkloadKind { get }
    /// The CLI noun: `service` or `job`.
    static var noun: String { get }
    /// The id option, as the reference CLI names it: `serviceId` or `jobId`.
    static var idOption: String { get }
}

enum ServiceKind: WorkloadKindMarker {
    static let kind = WorkloadKind.service
    static let noun = "service"
    static let idOption = "serviceId"
}

enum JobKind: WorkloadKindMarker {
    static let kind = WorkloadKind.job
    static let noun = "job"
    static let idOption = "jobId"
}
