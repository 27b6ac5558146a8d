import CofferCore
import CofferCrypto
import Foundation

/// One project's data keys as one PostgreSQL transaction read them: the current generation seals what is written, and
/// every sealed row opens with the generation it names. Keys are unwrapped on first use through the store's cache.
struct PostgresProjectKeys: Sendable {
    /// A data key as stored: wrapped, naming the master key that wraps it.
    struct Wrapped: Sendable {
        let bytes: Data
        let masterKeyID: String
    }

    let scope: ProjectScope
    /// The generation new values are sealed under.
    let currentGeneration: Int
    let wrapped: [Int: Wrapped]
    let store: PostgresStore

    /// The key that seals new values.
    func current() throws -> DataKey {
        try key(generation: currentGeneration)
    }

    /// The key of `generation`, which a row's `data_key_generation` names.
    func key(generation: Int) throws -> DataKey {
        guard let wrapped = wrapped[generation] else { throw StoreError.dataKeyMissing(scope, generation: generation) }
        return try store.dataKey(of: scope, generation: generation, wrapped: wrapped.bytes, masterKeyID: wrapped.masterKeyID)
    }

    /// Opens the value `row` holds in `column`, sealed for `context` under the generation the row names.
    func open(_ row: StoredRow, column: String, context: SealContext) throws -> Data {
        let sealed: Data = try row[column]
        return try key(generation: try row["data_key_generation"]).open(sealed, context: context)
    }
}
