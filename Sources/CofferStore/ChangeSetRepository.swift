import CofferCore
import Foundation

/// Several groups of a project changed as one: every operation of a change set is applied in one transaction, each
/// with its single route's semantics, or none is. Every group the set changes gets one version, and its audit entries
/// take consecutive revisions of the project (no other write to the project commits between them).
public protocol ChangeSetRepository: Sendable {
    /// Applies `operations` in order to the project's groups as the transaction reads them, then writes each group they
    /// changed once. `authorize` sees each operation's group before and after it (nil: absent) and throws to refuse it.
    /// The first operation that fails throws `ChangeSetFailure` naming its index, and nothing is written. With
    /// `dryRun`, nothing is written either way: the outcome says what would be.
    func applyChangeSet(
        _ operations: [ChangeSetOperation],
        in scope: ProjectScope,
        at now: Timestamp,
        dryRun: Bool,
        authorize: @escaping @Sendable (_ index: Int, _ before: SecretGroupDefinition?, _ after: SecretGroupDefinition?) throws -> Void
    ) async throws -> ChangeSetOutcome
}

/// What a change set did (or, dry, would do), with the project before and after it, for its plan.
public struct ChangeSetOutcome: Sendable {
    public var results: [ChangeSetResult]
    /// The revisions the change set's changes took (nil: it changed nothing, or it was a dry run).
    public var revisions: ClosedRange<Int64>?
    /// The project's groups before, ordered by id.
    public var before: [SecretGroup]
    /// The project's groups after, ordered by id.
    public var after: [SecretGroup]
    /// The ids of the groups the change set writes.
    public var written: [String]
    public var addons: [Addon]
    public var externalAddons: [Addon]
    public var workloads: [Workload]

    public init(
        results: [ChangeSetResult], revisions: ClosedRange<Int64>?, before: [SecretGroup], after: [SecretGroup], written: [String],
        addons: [Addon], externalAddons: [Addon], workloads: [Workload]
    ) {
        self.results = results
        self.revisions = revisions
        self.before = before
        self.after = after
        self.written = written
        self.addons = addons
        self.externalAddons = externalAddons
        self.workloads = workloads
    }
}

/// The operation at `index` failed with `error`; nothing of its change set was written.
public struct ChangeSetFailure: Error, Sendable, CustomStringConvertible {
    public var index: Int
    public var error: any Error

    public init(index: Int, error: any Error) {
        self.index = index
        self.error = error
    }

    public var description: String { "Operation \(index) of the change set failed: \(error)" }
}
