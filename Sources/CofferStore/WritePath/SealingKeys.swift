import CofferCore
import CofferCrypto
import Foundation

/// One project's data keys as one transaction read them: the current generation seals what is written, and every
/// sealed row opens with the generation it names, so rows stay readable while a rotation re-seals them. Keys are
/// unwrapped on first use through the codec's cache.
public struct SealingKeys: Sendable {
    package let scope: ProjectScope
    /// The generation new values are sealed under.
    package let currentGeneration: Int
    package let wrapped: [Int: DataKeyRow]
    package let codec: RecordCodec

    /// The key that seals new values.
    package func current() throws -> DataKey {
        try key(generation: currentGeneration)
    }

    /// The key of `generation`, which a row's `data_key_generation` names.
    package func key(generation: Int) throws -> DataKey {
        guard let row = wrapped[generation] else { throw StoreError.dataKeyMissing(scope, generation: generation) }
        return try codec.dataKey(row)
    }
}
