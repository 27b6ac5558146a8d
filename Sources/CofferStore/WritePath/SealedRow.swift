import CofferCore
import CofferCrypto
import Foundation

/// A row that holds one value sealed with its project's data key: the context it is sealed for (its identity and
/// version, never the key) and the generation that sealed it. What sealing, opening and re-sealing need, for every
/// kind of row alike.
package protocol SealedRow: Sendable {
    var sealContext: SealContext { get }
    var sealed: Data { get set }
    var dataKeyGeneration: Int { get set }
}

extension GroupRow: SealedRow {
    package var sealContext: SealContext {
        .groupValues(team: scope.teamId, project: scope.projectId, group: id, version: version)
    }

    package var sealed: Data {
        get { sealedValues }
        set { sealedValues = newValue }
    }
}

extension AddonRow: SealedRow {
    package var sealContext: SealContext {
        .addonCredentials(team: scope.teamId, project: scope.projectId, kind: kind, addon: id, version: version)
    }

    package var sealed: Data {
        get { sealedCredentials }
        set { sealedCredentials = newValue }
    }
}

extension WorkloadRow: SealedRow {
    package var sealContext: SealContext {
        .workloadValues(team: scope.teamId, project: scope.projectId, kind: kind, workload: id, version: version)
    }

    package var sealed: Data {
        get { sealedValues }
        set { sealedValues = newValue }
    }
}

extension RecordCodec {
    /// `row` with `plaintext` sealed into it under the current generation.
    package func sealing<Row: SealedRow>(_ plaintext: Data, into row: Row, keys: SealingKeys) throws -> Row {
        var row = row
        row.sealed = try keys.current().seal(plaintext, context: row.sealContext)
        row.dataKeyGeneration = keys.currentGeneration
        return row
    }

    /// The plaintext `row` holds, opened with the generation it names.
    package func opening(_ row: some SealedRow, keys: SealingKeys) throws -> Data {
        try keys.key(generation: row.dataKeyGeneration).open(row.sealed, context: row.sealContext)
    }

    /// The row with its value re-sealed under the current generation, for the same context: version, id and so
    /// associated data and ETags stay as they were, and nothing is decoded.
    package func resealed<Row: SealedRow>(_ row: Row, keys: SealingKeys) throws -> Row {
        try sealing(try opening(row, keys: keys), into: row, keys: keys)
    }
}
