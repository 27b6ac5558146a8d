import CofferStore
import Foundation
import GRDB
import PostgresNIO

extension StoreMigration {
    /// Refuses a source whose master or data key rotation stopped midway: copied as it is, it would stay half-rotated,
    /// since only the SQLite store finishes rotations. Starting `coffer serve` on it once (or rerunning the rotation)
    /// finishes it.
    package func checkRotationsFinished(in snapshot: DatabaseSnapshot) async throws {
        let (oldGenerations, otherMasterKeys) = try await snapshot.read { db in
            let generations =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM data_key d JOIN project p ON p.team_id = d.team_id AND p.id = d.project_id
                        WHERE d.generation <> p.data_key_generation
                        """
                ) ?? 0
            let masterKeys =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM data_key WHERE master_key_id <> (SELECT master_key_id FROM master_key_check WHERE id = 1)"
                ) ?? 0
            return (generations, masterKeys)
        }
        guard oldGenerations == 0, otherMasterKeys == 0 else {
            throw StoreError(
                .unfinishedRotation,
                "The SQLite store has an unfinished key rotation (\(oldGenerations) old data keys, \(otherMasterKeys) data keys under another master key); "
                    + "start 'coffer serve' on it once, or rerun 'coffer keys rotate', to finish it, then migrate"
            )
        }
    }
}
