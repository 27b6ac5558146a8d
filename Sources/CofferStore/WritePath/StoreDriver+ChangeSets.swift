import CofferCore
import Foundation

/// The change-set rules, for every driver: operations are applied one after another to the groups the transaction
/// read, and each group they changed is then written once through the same recording as a single write.
extension StoreDriver {
    public func applyChangeSet(
        _ operations: [ChangeSetOperation],
        in scope: ProjectScope,
        at now: Timestamp,
        dryRun: Bool,
        authorize: @escaping @Sendable (_ index: Int, _ before: SecretGroupDefinition?, _ after: SecretGroupDefinition?) throws -> Void
    ) async throws -> ChangeSetOutcome {
        let actor = AuditActor.current
        // Each id a put may create, once, in order.
        var seen: Set<String> = []
        let created = operations.filter { $0.kind == .put && seen.insert($0.secretId).inserted }.map(\.secretId)
        // Locking the project row keeps every other write to the project out until this one commits: the groups read
        // are the groups replaced, the plan is the plan of what commits, and the revisions are consecutive.
        let reads: [RowKey] =
            [
                dryRun ? .project(scope) : .lockedProject(scope), .groups(scope), .workloads(scope, kind: nil),
                .addons(scope, kind: AddonKind.addon.rawValue), .addons(scope, kind: AddonKind.external.rawValue),
            ] + created.map { .latestGroupVersion(scope, id: $0) }
        let decide: @Sendable (LoadedRows) throws -> (ChangeSetOutcome, [RowChange], [AuditEntry]) = { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            let before = try rows.groups(.groups(scope)).map { try self.codec.group($0, keys: keys) }
            var after = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let stored = after
            // Each touched id's definition as the operations so far left it (nil: absent), in the order first touched.
            var working: [String: SecretGroupDefinition?] = [:]
            var touched: [String] = []
            var changed: [Bool] = []
            for (index, operation) in operations.enumerated() {
                do {
                    let id = operation.secretId
                    let current: SecretGroupDefinition? = working[id] ?? stored[id]?.definition
                    // `ifMatch` names a version the client saw: the group's before the change set.
                    try StoreError.check(expected: operation.expectedVersion, current: stored[id]?.version ?? 0)
                    let next = try Self.applying(operation, to: current)
                    try authorize(index, current, next)
                    if working[id] == nil { touched.append(id) }
                    working[id] = .some(next)
                    changed.append(current != next)
                } catch {
                    throw ChangeSetFailure(index: index, error: error)
                }
            }
            var changes: [RowChange] = []
            var audit: [AuditEntry] = []
            var written: [String] = []
            var versions: [String: Int] = [:]
            for id in touched {
                switch (stored[id], working[id] ?? nil) {
                case (nil, nil):
                    continue
                case (nil, let definition?):
                    let newest = rows.version(.latestGroupVersion(scope, id: id))?.version ?? 0
                    let group = SecretGroup.created(from: definition, in: scope.projectId, at: now, version: newest + 1)
                    // A dry run writes nothing, so it seals nothing either.
                    if !dryRun {
                        let (made, entries) = try self.recording(nil, group, .create, in: scope, keys: keys, at: now, by: actor)
                        changes += made
                        audit += entries
                    }
                    after[id] = group
                    versions[id] = group.version
                    written.append(id)
                case (let group?, nil):
                    if !dryRun {
                        let (made, entries) = try self.recordingDeletion(of: group, in: scope, at: now, by: actor)
                        changes += made
                        audit += entries
                    }
                    after[id] = nil
                    versions[id] = group.version + 1
                    written.append(id)
                case (let group?, let definition?):
                    let (next, outcome) = group.put(definition, at: now)
                    versions[id] = next.version
                    guard outcome == .updated else { continue }
                    if !dryRun {
                        let (made, entries) = try self.recording(group, next, .update, in: scope, keys: keys, at: now, by: actor)
                        changes += made
                        audit += entries
                    }
                    after[id] = next
                    written.append(id)
                }
            }
            let results = operations.enumerated().map { index, operation in
                ChangeSetResult(op: operation.kind, secretId: operation.secretId, version: versions[operation.secretId], changed: changed[index])
            }
            let outcome = ChangeSetOutcome(
                results: results, revisions: nil, before: before, after: after.sorted { $0.key < $1.key }.map(\.value), written: written,
                addons: try rows.addons(.addons(scope, kind: AddonKind.addon.rawValue)).map { try self.codec.addon($0, keys: keys) },
                externalAddons: try rows.addons(.addons(scope, kind: AddonKind.external.rawValue)).map { try self.codec.addon($0, keys: keys) },
                workloads: try rows.workloads(.workloads(scope, kind: nil)).map { try self.codec.workload($0, keys: keys) }
            )
            return (outcome, changes, audit)
        }
        guard !dryRun else { return try decide(try await load(reads)).0 }
        var (outcome, stored) = try await submitRecorded(reads: reads, decide: decide)
        if let first = stored.first?.revision, let last = stored.last?.revision { outcome.revisions = first...last }
        return outcome
    }

    /// The group's definition after `operation` (nil: deleted), with the errors of the operation's single route.
    private static func applying(_ operation: ChangeSetOperation, to current: SecretGroupDefinition?) throws -> SecretGroupDefinition? {
        if case .put(let definition) = operation.change { return definition }
        guard let current else { throw StoreError.groupNotFound(operation.secretId) }
        switch operation.change {
        case .put:
            preconditionFailure("answered above")
        case .patch(let patch):
            return patch.applied(to: current)
        case .delete:
            return nil
        case .link(let addonId, let keys):
            return current.linking(addonId: addonId, keys: keys)
        case .unlink(let addonId):
            guard current.links(addonId: addonId, kind: .addon) else { throw StoreError.linkNotFound(operation.secretId, addonId: addonId) }
            return current.unlinking(addonId: addonId)
        }
    }
}
