import CofferCore
import Foundation

/// The history rules, for every driver: versions are recorded by the group writes themselves (`recording`), and these
/// read them and put groups back through the same write path.
extension StoreDriver {
    public func groupVersions(id: String, in scope: ProjectScope, before: Int?, limit: Int) async throws -> GroupVersionPage? {
        let key = RowKey.groupVersions(scope, id: id, before: before, limit: limit)
        let current = RowKey.group(scope, id: id)
        let rows = try await load([key, current, .latestGroupVersion(scope, id: id)])
        guard rows.version(.latestGroupVersion(scope, id: id)) != nil || rows.group(current) != nil else { return nil }
        return GroupVersionPage(versions: try rows.versions(key).map(codec.versionInfo), current: rows.group(current)?.version)
    }

    public func groupVersion(id: String, version: Int, in scope: ProjectScope) async throws -> GroupVersion? {
        let key = RowKey.groupVersion(scope, id: id, version: version)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)), let row = rows.version(key) else { return nil }
        return try codec.groupVersion(row, keys: keys)
    }

    public func rollbackGroup(
        id: String,
        toVersion version: Int,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        authorize: @escaping @Sendable (_ current: SecretGroup, _ target: SecretGroup) throws -> Void
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: id)
        let target = RowKey.groupVersion(scope, id: id, version: version)
        return try await submit(reads: [.project(scope), key, target]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.group(key) else { throw StoreError.groupNotFound(id) }
            guard let targetRow = rows.version(target) else { throw StoreError.versionNotFound(id, version: version) }
            guard let then = try self.codec.groupVersion(targetRow, keys: keys).group else {
                throw StoreError.versionIsDeletion(id, version: version)
            }
            let existing = try self.codec.group(row, keys: keys)
            try StoreError.check(expected: expectedVersion, current: existing.version)
            try authorize(existing, then)
            let (next, outcome) = existing.put(then.definition, at: now)
            guard outcome == .updated else { return ((next, outcome), [], []) }
            let (changes, audit) = try self.recording(existing, next, .rollback, in: scope, keys: keys, at: now, by: actor)
            return ((next, outcome), changes, audit)
        }
    }

    public func restoreGroup(id: String, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: id)
        let latest = RowKey.latestGroupVersion(scope, id: id)
        let content = RowKey.latestGroupContent(scope, id: id)
        return try await submit(reads: [.project(scope), key, latest, content]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard rows.group(key) == nil else { throw StoreError.groupNotDeleted(id) }
            guard let newest = rows.version(latest), let contentRow = rows.version(content),
                let last = try self.codec.groupVersion(contentRow, keys: keys).group
            else { throw StoreError.groupNotFound(id) }
            let group = self.restored(last, after: newest.version, at: now)
            let (changes, audit) = try self.recording(nil, group, .restore, in: scope, keys: keys, at: now, by: actor)
            return (group, changes, audit)
        }
    }

    /// `last` (a deleted group's content) brought back as the version after `newest`, with its `createdAt`.
    private func restored(_ last: SecretGroup, after newest: Int, at now: Timestamp) -> SecretGroup {
        var group = last
        group.version = newest + 1
        group.updatedAt = now.advanced(pastOrAt: last.updatedAt)
        return group
    }

    public func groups(in scope: ProjectScope, asOf: Timestamp) async throws -> [SecretGroup] {
        let key = RowKey.historyAsOf(scope, at: asOf.millisecondsSinceEpoch)
        let rows = try await load([.project(scope), .groups(scope), key])
        guard let keys = codec.keys(rows.project(scope)) else { throw StoreError.projectNotFound(scope) }
        return try states(rows.historyAsOf(key), current: rows.groups(.groups(scope)), keys: keys).compactMap(\.then)
    }

    public func restoreProject(_ scope: ProjectScope, asOf: Timestamp, at now: Timestamp, dryRun: Bool) async throws -> ProjectRestorePlan {
        let actor = AuditActor.current
        let history = RowKey.historyAsOf(scope, at: asOf.millisecondsSinceEpoch)
        // Locking the project row keeps every other write to the project out until this one commits, so the groups it
        // read are the groups it replaces.
        let project: RowKey = dryRun ? .project(scope) : .lockedProject(scope)
        let decide: @Sendable (LoadedRows) throws -> (ProjectRestorePlan, [RowChange], [AuditEntry]) = { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            var steps: [GroupRestoreStep] = []
            var changes: [RowChange] = []
            var audit: [AuditEntry] = []
            for state in try self.states(rows.historyAsOf(history), current: rows.groups(.groups(scope)), keys: keys) {
                switch (state.now, state.then) {
                case (nil, nil):
                    continue
                case (let current?, nil):
                    let (made, entries) = try self.recordingDeletion(of: current, in: scope, at: now, by: actor)
                    steps.append(GroupRestoreStep(
                        secretId: state.id, action: .delete, fromVersion: current.version, asOfVersion: nil, version: current.version + 1,
                        changedKeys: entries[0].changedKeys, changedFields: []
                    ))
                    changes += made
                    audit += entries
                case (nil, let then?):
                    let group = self.restored(then, after: state.newest, at: now)
                    let (made, entries) = try self.recording(nil, group, .restore, in: scope, keys: keys, at: now, by: actor)
                    steps.append(GroupRestoreStep(
                        secretId: state.id, action: .restore, fromVersion: nil, asOfVersion: then.version, version: group.version,
                        changedKeys: entries[0].changedKeys, changedFields: []
                    ))
                    changes += made
                    audit += entries
                case (let current?, let then?):
                    let (next, outcome) = current.put(then.definition, at: now)
                    guard outcome == .updated else { continue }
                    let (made, entries) = try self.recording(current, next, .rollback, in: scope, keys: keys, at: now, by: actor)
                    steps.append(GroupRestoreStep(
                        secretId: state.id, action: .rollback, fromVersion: current.version, asOfVersion: then.version, version: next.version,
                        changedKeys: entries[0].changedKeys, changedFields: entries[0].changedFields
                    ))
                    changes += made
                    audit += entries
                }
            }
            let plan = ProjectRestorePlan(asOf: asOf, dryRun: dryRun, steps: steps)
            return dryRun ? (plan, [], []) : (plan, changes, audit)
        }
        let reads = [project, .groups(scope), history]
        guard dryRun else { return try await submit(reads: reads, decide: decide) }
        return try decide(try await load(reads)).0
    }

    /// Each group id of the project, now and at the moment `history` was read for, ordered by id; `historyNotKept`
    /// naming every group whose state then is no longer known.
    private func states(_ history: [GroupHistoryAsOf], current: [GroupRow], keys: SealingKeys) throws -> [GroupState] {
        var states: [String: GroupState] = [:]
        for row in current {
            states[row.id] = GroupState(id: row.id, now: try codec.group(row, keys: keys), then: nil, newest: row.version)
        }
        var unknown: [String] = []
        for entry in history {
            var state = states[entry.groupId] ?? GroupState(id: entry.groupId, now: nil, then: nil, newest: entry.newest)
            state.newest = max(state.newest, entry.newest)
            if let then = entry.then {
                state.then = try codec.groupVersion(then, keys: keys).group
            } else if entry.oldestKept > 1 {
                // Versions before the oldest kept one existed, and what the group was then is not known any more.
                unknown.append(entry.groupId)
            }
            states[entry.groupId] = state
        }
        // A group with no history at all (none is written without) would be unknown too.
        let recorded = Set(history.map(\.groupId))
        unknown += states.values.filter { $0.now != nil && !recorded.contains($0.id) }.map(\.id)
        guard unknown.isEmpty else { throw StoreError.historyNotKept(unknown.sorted()) }
        return states.values.sorted { $0.id < $1.id }
    }

    /// The pass over every group's history is a plain read, outside any write transaction (SQLite's single writer is
    /// not held by it); the write then re-decides for the groups it found only, by key, so a version that a write made
    /// meanwhile keeps (a deleted group restored since) is not dropped.
    public func pruneHistory(keepVersions: Int, deletedBefore: Timestamp, limit: Int) async throws -> Int {
        let keep = max(1, keepVersions)
        let cutoff = deletedBefore.millisecondsSinceEpoch
        let candidates = RowKey.expiredVersions(keepVersions: keep, deletedBefore: cutoff, limit: limit, among: nil)
        let found = try await load([candidates]).versions(candidates)
        guard !found.isEmpty else { return 0 }
        var groups: [GroupAddress] = []
        for version in found where !groups.contains(GroupAddress(scope: version.scope, id: version.groupId)) {
            groups.append(GroupAddress(scope: version.scope, id: version.groupId))
        }
        let key = RowKey.expiredVersions(keepVersions: keep, deletedBefore: cutoff, limit: limit, among: groups)
        return try await submit(reads: [key]) { rows in
            let expired = rows.versions(key)
            return (expired.count, expired.isEmpty ? [] : [.deleteGroupVersions(expired)], [])
        }
    }
}

/// One group id now (nil: absent) and at a moment (nil: absent then), with the newest version number it has used.
private struct GroupState {
    var id: String
    var now: SecretGroup?
    var then: SecretGroup?
    var newest: Int
}

extension RecordCodec {
    package func versionInfo(_ row: GroupVersionRow) throws -> GroupVersionInfo {
        guard let action = GroupVersionAction(rawValue: row.action) else {
            throw StoreError(.corrupted, "Version \(row.version) of secret '\(row.groupId)' has an unknown action")
        }
        return GroupVersionInfo(
            version: row.version, at: Timestamp(millisecondsSinceEpoch: row.at), actor: row.actor, action: action,
            changedKeys: try StoredPayload.strings(from: row.changedKeys), changedFields: try StoredPayload.strings(from: row.changedFields)
        )
    }

    /// The version with its group opened (nil for a delete).
    package func groupVersion(_ row: GroupVersionRow, keys: SealingKeys) throws -> GroupVersion {
        GroupVersion(info: try versionInfo(row), group: try row.group.map { try group($0, keys: keys, recorded: true) })
    }
}
