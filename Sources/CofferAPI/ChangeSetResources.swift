import CofferCore

/// The answer of `POST /v1/projects/{p}/change-sets`: the project's revision after it, one result per operation, and
/// the plan (which workloads see which keys change). Key names and versions only, never a value.
public struct ChangeSetResource: Codable, Sendable, Equatable {
    /// The project's revision once the change set committed (or, for a dry run or a set that changed nothing, now).
    public var revision: Int64
    /// The first revision the change set took; its changes are `firstRevision...revision`. Absent when it changed nothing.
    public var firstRevision: Int64?
    public var dryRun: Bool
    /// The groups the change set changes (or, dry, would change), in the order first touched: each gets one version.
    public var changedSecrets: [String]
    public var results: [ChangeSetResult]
    public var plan: ChangeSetPlan

    public init(
        revision: Int64, firstRevision: Int64?, dryRun: Bool, changedSecrets: [String], results: [ChangeSetResult], plan: ChangeSetPlan
    ) {
        self.revision = revision
        self.firstRevision = firstRevision
        self.dryRun = dryRun
        self.changedSecrets = changedSecrets
        self.results = results
        self.plan = plan
    }
}
