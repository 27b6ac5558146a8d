import CofferCore
import Foundation

extension StoreDriver {
    public func createWorkload(_ definition: WorkloadDefinition, kind: WorkloadKind, in scope: ProjectScope, at now: Timestamp) async throws -> Workload {
        let actor = AuditActor.current
        let key = RowKey.workload(scope, kind: kind.rawValue, id: definition.id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard rows.workload(key) == nil else { throw StoreError.workloadExists(definition.id, kind: kind) }
            let workload = Workload(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
            return (
                workload, [.insertWorkload(try self.codec.row(of: workload, in: scope, keys: keys))],
                [.workloadChange(from: nil, to: workload, in: scope, at: now, by: actor)]
            )
        }
    }

    public func workloads(kind: WorkloadKind?, in scope: ProjectScope) async throws -> [Workload] {
        let key = RowKey.workloads(scope, kind: kind?.rawValue)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)) else { return [] }
        return try rows.workloads(key).map { try codec.workload($0, keys: keys) }
    }

    public func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Workload? {
        let key = RowKey.workload(scope, kind: kind.rawValue, id: id)
        let rows = try await load([.project(scope), key])
        guard let keys = codec.keys(rows.project(scope)), let row = rows.workload(key) else { return nil }
        return try codec.workload(row, keys: keys)
    }

    public func updateWorkload(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (WorkloadDefinition) throws -> WorkloadDefinition
    ) async throws -> Workload {
        let actor = AuditActor.current
        let key = RowKey.workload(scope, kind: kind.rawValue, id: id)
        return try await submit(reads: [.project(scope), key]) { rows in
            let keys = try self.codec.requireKeys(rows, scope)
            guard let row = rows.workload(key) else { throw StoreError.workloadNotFound(id, kind: kind) }
            let existing = try self.codec.workload(row, keys: keys)
            let next = existing.replaced(by: try change(existing.definition), at: now)
            guard next != existing else { return (existing, [], []) }
            return (
                next, [.updateWorkload(try self.codec.row(of: next, in: scope, keys: keys))],
                [.workloadChange(from: existing, to: next, in: scope, at: now, by: actor)]
            )
        }
    }

    public func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) async throws -> Bool {
        let actor = AuditActor.current
        let key = RowKey.workload(scope, kind: kind.rawValue, id: id)
        return try await submit(reads: [key]) { rows in
            guard rows.workload(key) != nil else { return (false, [], []) }
            return (
                true, [.deleteWorkload(scope, kind: kind.rawValue, id: id)],
                [.change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: actor)]
            )
        }
    }
}
