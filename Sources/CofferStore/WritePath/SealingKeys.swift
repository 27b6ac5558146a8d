import CofferCore
import CofferCrypto
import Foundation

/// One project's data keys as one transaction read them: the current generation seals what is written, and every
/// sealed row opens with the generation it names, so rows stay readable while a rotation re-seals them. Keys are
/// unwrapped on first use through the codec's cache.
public struct SealingKeys: Sendable {
    let scope: ProjectScope
    /// The generation new values are sealed under.
    let currentGeneration: Int
    let wrapped: [Int: DataKeyRow]
    let codec: RecordCodec

    /// The key that seals new values.
    func current() throws -> DataKey {
        try key(generation: currentGeneration)
    }

    /// The key of `generation`, which a row's `data_key_generation` names.
    func key(generation: Int) throws -> DataKey {
        guard let row = wrapped[generation] else { throw StoreError.dataKeyMissing(scope, generation: generation) }
        return try codec.dataKey(row)
    }
}
