import CofferCore
import Foundation

extension StoreDriver {
    public func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon {
        let actor = AuditActor.current
        let key = RowKey.addon(scope, kind: kind.rawValue, id: definition.id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard rows.addon(key) == nil else { throw StoreError.addonExists(definition.id, kind: kind) }
            let addon = Addon(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            return (
                addon, [.insertAddon(try self.codec.row(of: addon, in: scope, keys: keys))],
                [.addonChange(from: nil, to: addon, in: scope, at: now, by: actor)]
            )
        }
    }

    public func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon] {
        let key = RowKey.addons(scope, kind: kind.rawValue)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)) else { return [] }
        return try rows.addons(key).map { try codec.addon($0, keys: keys) }
    }

    public func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon? {
        let key = RowKey.addon(scope, kind: kind.rawValue, id: id)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)), let row = rows.addon(key) else { return nil }
        return try codec.addon(row, keys: keys)
    }

    public func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) async throws -> Addon {
        let actor = AuditActor.current
        let key = RowKey.addon(scope, kind: kind.rawValue, id: id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.addon(key) else { throw StoreError.addonNotFound(id, kind: kind) }
            let existing = try self.codec.addon(row, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return (existing, [], []) }
            return (
                next, [.updateAddon(try self.codec.row(of: next, in: scope, keys: keys))],
                [.addonChange(from: existing, to: next, in: scope, at: now, by: actor)]
            )
        }
    }

    public func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        let key = RowKey.addon(scope, kind: kind.rawValue, id: id)
        return try await submit(reads: [key, .groups(scope)]) { rows in
            guard rows.addon(key) != nil else { return (false, [], []) }
            // Dependencies are plain columns: no value is opened to find the groups that link the addon.
            let linking = try rows.groups(.groups(scope)).filter { row in
                try self.codec.definition(row, secrets: SecretValues()).links(addonId: id, kind: kind)
            }.map(\.id).sorted()
            guard linking.isEmpty else { throw StoreError.addonInUse(id, kind: kind, groups: linking) }
            return (
                true, [.deleteAddon(scope, kind: kind.rawValue, id: id)],
                [.change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor)]
            )
        }
    }
}
