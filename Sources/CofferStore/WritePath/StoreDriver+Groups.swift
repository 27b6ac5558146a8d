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
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.group(key) else {
                // If-Match names a version of something that must exist.
                guard expectedVersion == nil || expectedVersion == 0 else { throw StoreError.versionMismatch }
                let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
                return (
                    (group, WriteOutcome.created), [.insertGroup(try self.codec.row(of: group, in: scope, keys: keys))],
                    [.groupChange(from: nil, to: group, in: scope, at: now, by: actor)]
                )
            }
            let existing = try self.codec.group(row, keys: keys)
            try StoreError.check(expected: expectedVersion, current: existing.version)
            return try self.replace(existing, with: definition, in: scope, keys: keys, at: now, by: actor)
        }
    }

    public func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) async throws -> SecretGroup {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: definition.id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard rows.group(key) == nil else { throw StoreError.groupExists }
            let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
            return (
                group, [.insertGroup(try self.codec.row(of: group, in: scope, keys: keys))],
                [.groupChange(from: nil, to: group, in: scope, at: now, by: actor)]
            )
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
        return (
            (next, outcome), [.updateGroup(try codec.row(of: next, in: scope, keys: keys))],
            [.groupChange(from: existing, to: next, in: scope, at: now, by: actor)]
        )
    }

    public func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) async throws -> Bool {
        let actor = AuditActor.current
        let key = RowKey.group(scope, id: id)
        return try await submit(reads: [key]) { rows in
            guard let row = rows.group(key) else { return (false, [], []) }
            try StoreError.check(expected: expectedVersion, current: row.version)
            return (
                true, [.deleteGroup(scope, id: id)],
                [.change(.delete, .secret, id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor)]
            )
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
