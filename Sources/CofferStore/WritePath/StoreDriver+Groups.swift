import CofferCore
import Foundation

extension StoreDriver {
    public func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: definition.id)
        let latest = RowKey.latestGroupVersion(scope, id: definition.id)
        return try await submit(reads: [.project(scope), key, latest]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.group(key) else {
                // If-Match names a version of something that must exist.
                guard expectedVersion == nil || expectedVersion == 0 else { throw StoreError.versionMismatch }
                let group = SecretGroup.created(from: definition, in: scope.projectId, at: now, version: (rows.version(latest)?.version ?? 0) + 1)
                let (changes, audit) = try self.recording(nil, group, .create, in: scope, keys: keys, at: now, by: actor)
                return ((group, WriteOutcome.created), changes, audit)
            }
            let existing = try self.codec.group(row, keys: keys)
            try StoreError.check(expected: expectedVersion, current: existing.version)
            return try self.replace(existing, with: definition, in: scope, keys: keys, at: now, by: actor)
        }
    }

    public func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: definition.id)
        let latest = RowKey.latestGroupVersion(scope, id: definition.id)
        return try await submit(reads: [.project(scope), key, latest]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard rows.group(key) == nil else { throw StoreError.groupExists }
            let group = SecretGroup.created(from: definition, in: scope.projectId, at: now, version: (rows.version(latest)?.version ?? 0) + 1)
            let (changes, audit) = try self.recording(nil, group, .create, in: scope, keys: keys, at: now, by: actor)
            return (group, changes, audit)
        }
    }

    public func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) async throws -> (SecretGroup, WriteOutcome) {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.group(key) else { throw StoreError.groupNotFound(id) }
            let existing = try self.codec.group(row, keys: keys)
            try StoreError.check(expected: expectedVersion, current: existing.version)
            return try self.replace(existing, with: try change(existing.definition), in: scope, keys: keys, at: now, by: actor)
        }
    }

    /// The write that replaces `existing`'s definition: nothing at all when the definition is unchanged.
    private func replace(
        _ existing: SecretGroup,
        with definition: SecretGroupDefinition,
        in scope: ProjectScope,
        keys: SealingKeys,
        at now: Timestamp,
        by actor: AuditActor
    ) throws -> ((SecretGroup, WriteOutcome), [RowChange], [AuditEntry]) {
        let (next, outcome) = existing.put(definition, at: now)
        guard outcome == .updated else { return ((next, outcome), [], []) }
        let (changes, audit) = try recording(existing, next, .update, in: scope, keys: keys, at: now, by: actor)
        return ((next, outcome), changes, audit)
    }

    /// The row changes and audit entry of a group written as `new` (created if `old` is nil): its row, and the version
    /// that records it, sealed alike.
    package func recording(
        _ old: SecretGroup?,
        _ new: SecretGroup,
        _ action: GroupVersionAction,
        in scope: ProjectScope,
        keys: SealingKeys,
        at now: Timestamp,
        by actor: AuditActor
    ) throws -> ([RowChange], [AuditEntry]) {
        let row = try codec.row(of: new, in: scope, keys: keys)
        let auditAction: AuditAction? =
            switch action {
            case .rollback: .rollback
            case .restore: .restore
            default: nil
            }
        let entry = AuditEntry.groupChange(from: old, to: new, in: scope, at: now, by: actor, action: auditAction)
        return (
            [
                old == nil ? .insertGroup(row) : .updateGroup(row),
                .insertGroupVersion(try GroupVersionRow(recording: entry, action: action, in: scope, group: row)),
            ],
            [entry]
        )
    }

    /// The row changes and audit entry of deleting `group`: the version recording the delete comes after its last.
    package func recordingDeletion(
        of group: SecretGroup,
        in scope: ProjectScope,
        at now: Timestamp,
        by actor: AuditActor
    ) throws -> ([RowChange], [AuditEntry]) {
        let entry = AuditEntry.groupDeletion(group, version: group.version + 1, in: scope, at: now, by: actor)
        return (
            [.deleteGroup(scope, id: group.id), .insertGroupVersion(try GroupVersionRow(recording: entry, action: .delete, in: scope, group: nil))],
            [entry]
        )
    }

    public func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: id)
        return try await submit(reads: [.project(scope), key]) { rows in
            guard let row = rows.group(key), let keys = self.codec.keys(rows.project(scope)) else { return (false, [], []) }
            try StoreError.check(expected: expectedVersion, current: row.version)
            let (changes, audit) = try self.recordingDeletion(of: try self.codec.group(row, keys: keys), in: scope, at: .now(), by: actor)
            return (true, changes, audit)
        }
    }

    public func group(id: String, in scope: ProjectScope) async throws -> SecretGroup? {
        let key = RowKey.group(scope, id: id)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)), let row = rows.group(key) else { return nil }
        return try codec.group(row, keys: keys)
    }

    public func groups(in scope: ProjectScope) async throws -> [SecretGroup] {
        let key = RowKey.groups(scope)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)) else { return [] }
        return try rows.groups(key).map { try codec.group($0, keys: keys) }
    }

    public func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) async throws -> [SecretGroupSummary] {
        let key = RowKey.groupSummaries(scope, after: after, offset: offset, limit: limit)
        return try await load([key]).groups(key).map(codec.summary)
    }
}
