import CofferCore
import CofferCrypto
import Foundation

extension RecordCodec {
    /// The row with its value re-sealed under the current generation, for the same context: version, id and so
    /// associated data and ETags stay as they were, and nothing is decoded.
    package func resealed(_ row: GroupRow, keys: SealingKeys) throws -> GroupRow {
        var row = row
        let context = SealContext.groupValues(team: row.scope.teamId, project: row.scope.projectId, group: row.id, version: row.version)
        row.sealedValues = try reseal(row.sealedValues, from: row.dataKeyGeneration, context: context, keys: keys)
        row.dataKeyGeneration = keys.currentGeneration
        return row
    }

    package func resealed(_ row: AddonRow, keys: SealingKeys) throws -> AddonRow {
        var row = row
        let context = SealContext.addonCredentials(
            team: row.scope.teamId, project: row.scope.projectId, kind: row.kind, addon: row.id, version: row.version
        )
        row.sealedCredentials = try reseal(row.sealedCredentials, from: row.dataKeyGeneration, context: context, keys: keys)
        row.dataKeyGeneration = keys.currentGeneration
        return row
    }

    package func resealed(_ row: WorkloadRow, keys: SealingKeys) throws -> WorkloadRow {
        var row = row
        let context = SealContext.workloadValues(
            team: row.scope.teamId, project: row.scope.projectId, kind: row.kind, workload: row.id, version: row.version
        )
        row.sealedValues = try reseal(row.sealedValues, from: row.dataKeyGeneration, context: context, keys: keys)
        row.dataKeyGeneration = keys.currentGeneration
        return row
    }

    private func reseal(_ sealed: Data, from generation: Int, context: SealContext, keys: SealingKeys) throws -> Data {
        try keys.current().seal(try keys.key(generation: generation).open(sealed, context: context), context: context)
    }

    /// The data key re-wrapped under `masterKey`.
    package func rewrapped(_ row: DataKeyRow, under masterKey: MasterKey) throws -> DataKeyRow {
        var row = row
        row.wrapped = try masterKey.wrap(
            try dataKey(row),
            context: .dataKey(team: row.scope.teamId, project: row.scope.projectId, generation: row.generation)
        )
        row.masterKeyID = masterKey.id
        return row
    }
}
