import CofferCore
import CofferCrypto
import Foundation

/// Called after each committed batch of a rotation with the batch's number (from 1); a test throws from it to
/// simulate a process killed midway.
public typealias RotationBatchHook = @Sendable (Int) throws -> Void

/// How many rows one rotation transaction changes by default: short transactions keep running servers' writes
/// waiting only briefly.
public let defaultRotationBatchSize = 50

/// Key rotation, for every driver: each step is a write through the one write path, so it runs beside the server's
/// own writes (on any replica) and is crash-safe at every step: every row names the generation that sealed it and
/// every data key the master key that wraps it, so a keyring holding the old and the new key reads everything at any
/// point, and running a rotation again finishes it. Rotations append no audit entries.
extension StoreDriver {
    /// Re-wraps every data key not under the ring's primary, in batches of one transaction each, then records the
    /// primary in the check value.
    public func rewrapDataKeys(batchSize: Int = defaultRotationBatchSize, afterBatch: RotationBatchHook? = nil) async throws -> RewrapSummary {
        let primary = codec.keyring.ring.primary
        var rewrapped = 0
        var previous: Set<String> = []
        var batch = 0
        while true {
            let ids = try await rewrapBatch(under: primary, limit: batchSize)
            guard !ids.isEmpty else { break }
            rewrapped += ids.count
            previous.formUnion(ids)
            batch += 1
            try afterBatch?(batch)
        }
        // New projects' keys are wrapped under the primary the store records, so the last sweep and the switch of that
        // record are one transaction: no key can be left behind under the old primary.
        let key = RowKey.dataKeysNotWrapped(by: primary.id, limit: nil)
        let (swept, oldCheckID): ([String], String?) = try await submit(reads: [key, .wrappingKeyID]) { rows in
            let stale = rows.dataKeys(key)
            var changes = try stale.map { RowChange.updateDataKey(try self.codec.rewrapped($0, under: primary)) }
            if rows.wrappingKeyID != primary.id {
                changes.append(.recordPrimaryMasterKey(id: primary.id, checkValue: try primary.makeCheckValue()))
            }
            return ((stale.map(\.masterKeyID), rows.wrappingKeyID), changes, [])
        }
        previous.formUnion(swept)
        if let oldCheckID, oldCheckID != primary.id { previous.insert(oldCheckID) }
        return RewrapSummary(rewrapped: rewrapped + swept.count, previousKeyIDs: previous.sorted(), primaryKeyID: primary.id)
    }

    /// Re-wraps up to `limit` data keys not under `primary`; returns the master key id each was under.
    private func rewrapBatch(under primary: MasterKey, limit: Int) async throws -> [String] {
        let key = RowKey.dataKeysNotWrapped(by: primary.id, limit: limit)
        return try await submit(reads: [key]) { rows in
            let stale = rows.dataKeys(key)
            return (stale.map(\.masterKeyID), try stale.map { .updateDataKey(try self.codec.rewrapped($0, under: primary)) }, [])
        }
    }

    /// The ids of the master keys that wrap something: data keys or the check value.
    public func masterKeyIDsInUse() async throws -> Set<String> {
        Set(try await load([.masterKeyIDsInUse]).strings(.masterKeyIDsInUse))
    }

    /// Gives each project (or only `scope`) a fresh data key, then re-seals every value under it and deletes the keys
    /// no row uses any more. The new generation becomes current in the transaction that creates it, so writes made
    /// meanwhile seal under it; re-sealing keeps each row's version, so ETags and associated data do not change.
    public func rotateDataKeys(
        in scope: ProjectScope? = nil,
        batchSize: Int = defaultRotationBatchSize,
        afterBatch: RotationBatchHook? = nil
    ) async throws -> [ResealSummary] {
        let scopes: [ProjectScope]
        if let scope {
            guard try await project(scope) != nil else { throw StoreError.projectNotFound(scope) }
            scopes = [scope]
        } else {
            scopes = try await load([.allProjects]).projects(.allProjects).map(\.scope)
        }
        var batches = 0
        var summaries: [ResealSummary] = []
        for scope in scopes {
            guard try await startGeneration(of: scope) else { continue }  // deleted meanwhile
            if let summary = try await finishDataKeyRotation(of: scope, batchSize: batchSize, batches: &batches, afterBatch: afterBatch) {
                summaries.append(summary)
            }
        }
        return summaries
    }

    /// Finishes rotations that stopped midway: re-seals values under older generations and deletes unused keys.
    /// Returns a summary for each project that had something left to do.
    public func finishDataKeyRotations(batchSize: Int = defaultRotationBatchSize) async throws -> [ResealSummary] {
        var batches = 0
        var summaries: [ResealSummary] = []
        for scope in try await load([.projectsWithOlderDataKeys]).projects(.projectsWithOlderDataKeys).map(\.scope) {
            if let summary = try await finishDataKeyRotation(of: scope, batchSize: batchSize, batches: &batches, afterBatch: nil) {
                summaries.append(summary)
            }
        }
        return summaries
    }

    /// Creates generation g+1 (one past the highest ever kept) and makes it current; false if the project is gone.
    private func startGeneration(of scope: ProjectScope) async throws -> Bool {
        try await submit(reads: [.lockedProject(scope), .wrappingKeyID]) { rows in
            guard let project = rows.project(scope) else { return (false, [], []) }
            let generation = (project.dataKeys.map(\.generation).max() ?? 0) + 1
            let dataKey = try self.codec.newDataKey(for: scope, generation: generation, wrappingKeyID: rows.wrappingKeyID)
            return (true, [.insertDataKey(dataKey), .setDataKeyGeneration(scope, generation: generation)], [])
        }
    }

    private func finishDataKeyRotation(
        of scope: ProjectScope,
        batchSize: Int,
        batches: inout Int,
        afterBatch: RotationBatchHook?
    ) async throws -> ResealSummary? {
        var resealed = 0
        while true {
            let count = try await resealBatch(of: scope, limit: batchSize)
            guard count > 0 else { break }
            resealed += count
            batches += 1
            try afterBatch?(batches)
        }
        let total = resealed
        let used = RowKey.generationsInUse(scope)
        let summary: ResealSummary? = try await submit(reads: [.lockedProject(scope), used]) { rows in
            guard let project = rows.project(scope) else { return (nil, [], []) }
            // The project row is locked, so no write can start sealing under a generation this deletes.
            let inUse = Set(rows.integers(used)).union([project.row.dataKeyGeneration])
            let unused = project.dataKeys.map(\.generation).filter { !inUse.contains($0) }
            return (
                ResealSummary(scope: scope, generation: project.row.dataKeyGeneration, resealed: total, deletedKeys: unused.count),
                unused.map { .deleteDataKey(scope, generation: $0) }, []
            )
        }
        codec.dataKeys.forget(scope)
        return summary
    }

    /// Re-seals up to `limit` rows still under an older generation, reading (and locking) each in the transaction and
    /// keeping its version; returns how many.
    private func resealBatch(of scope: ProjectScope, limit: Int) async throws -> Int {
        let stale = RowKey.rowsSealedUnderOlderKeys(scope, limit: limit)
        return try await submit(reads: [.project(scope), stale]) { rows -> (Int, [RowChange], [AuditEntry]) in
            guard let keys = self.codec.keys(rows.project(scope)) else { return (0, [], []) }
            // `limit` rows in all, groups first, then addons, then workloads, then the groups' versions.
            let (groups, addons, workloads, versions) = rows.sealedRows(stale)
            let takenGroups = groups.prefix(limit)
            let takenAddons = addons.prefix(limit - takenGroups.count)
            let takenWorkloads = workloads.prefix(limit - takenGroups.count - takenAddons.count)
            let takenVersions = versions.prefix(limit - takenGroups.count - takenAddons.count - takenWorkloads.count)
            let changes: [RowChange] =
                try takenGroups.map { .updateGroup(try self.codec.resealed($0, keys: keys)) }
                + takenAddons.map { .updateAddon(try self.codec.resealed($0, keys: keys)) }
                + takenWorkloads.map { .updateWorkload(try self.codec.resealed($0, keys: keys)) }
                + takenVersions.compactMap { version in
                    try version.group.map { group in
                        var resealed = version
                        resealed.group = try self.codec.resealed(group, keys: keys)
                        return .resealGroupVersion(resealed)
                    }
                }
            return (changes.count, changes, [])
        }
    }
}
