import CofferCore
import CofferCrypto
import Foundation
import GRDB

/// One project's data keys as one transaction sees them: the current generation seals what is written, and every
/// sealed row opens with the generation it names, so rows stay readable while a rotation re-seals them.
struct ProjectKeys {
    let scope: ProjectScope
    /// The generation new values are sealed under.
    let currentGeneration: Int
    let store: SQLiteStore
    let db: Database

    /// The key that seals new values.
    func current() throws -> DataKey {
        try key(generation: currentGeneration)
    }

    /// The key of `generation`, which a row's `data_key_generation` names.
    func key(generation: Int) throws -> DataKey {
        try store.dataKey(of: scope, generation: generation, in: db)
    }

    /// Opens the value `row` holds in `column`, sealed for `context` under the generation the row names.
    func open(_ row: Row, column: String, context: SealContext) throws -> Data {
        try key(generation: row["data_key_generation"]).open(row[column], context: context)
    }
}
