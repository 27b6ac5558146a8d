import CofferCore
import CofferStore
import GRDB

extension StoreMigration {
    /// Reads every record back through both stores, values opened with the master key, and compares them: proof that
    /// the target's copied data keys open under the same key and that the records (and so their ETags) are equal.
    /// Run after the commit, so against a source still being written to (a server left running) it may report a
    /// difference the copy does not have.
    package func compareOpenedRecords(into report: inout MigrationReport) async throws {
        let (teams, versions) = try await source.pool.read { db in
            let teams = try String.fetchAll(db, sql: "SELECT id FROM team ORDER BY id")
            let versions = try Row.fetchAll(db, sql: "SELECT team_id, project_id, group_id, version FROM group_version ORDER BY 1, 2, 3, 4").map {
                OpenedRecordCheck.VersionKey(scope: ProjectScope(team: $0[0], project: $0[1]), groupId: $0[2], version: $0[3])
            }
            return (teams, versions)
        }
        var check = OpenedRecordCheck(store: target, reference: source)
        try await check.run(teams: teams, versions: versions)
        report.openedRecords = check.opened
        report.openedMismatch = check.mismatch
    }
}
