import CofferCore
import CofferStore
import GRDB

extension StoreMigration {
    /// Reads every record back through both stores, values opened with the master key, and compares them: proof that
    /// the target's copied data keys open under the same key and that the records (and so their ETags) are equal.
    /// Nothing opened is kept or printed. Run after the commit, so against a source still being written to (a server
    /// left running) it may report a difference the copy does not have.
    package func compareOpenedRecords(into report: inout MigrationReport) async throws {
        var compared = 0
        func check<Record: Equatable>(_ kind: String, _ source: [Record], _ target: [Record]) -> Bool {
            compared += source.count
            if source != target, report.openedMismatch == nil { report.openedMismatch = kind }
            return source == target
        }
        let teams = try await source.pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM team ORDER BY id") }
        for team in teams {
            _ = check("tokens", try await source.tokens(team: team), try await target.tokens(team: team))
            let projects = try await source.projects(team: team)
            guard check("projects", projects, try await target.projects(team: team)) else { continue }
            for project in projects {
                let scope = ProjectScope(team: team, project: project.id)
                _ = check("secret groups", try await source.groups(in: scope), try await target.groups(in: scope))
                for kind in AddonKind.allCases {
                    _ = check("addons", try await source.addons(kind: kind, in: scope), try await target.addons(kind: kind, in: scope))
                }
                _ = check("workloads", try await source.workloads(kind: nil, in: scope), try await target.workloads(kind: nil, in: scope))
            }
        }
        var after: Int64 = 0
        while true {
            let page = try await source.auditEntries(AuditQuery(after: after, limit: 1000))
            _ = check("audit entries", page, try await target.auditEntries(AuditQuery(after: after, limit: 1000)))
            guard let last = page.last else { break }
            after = last.sequence
        }
        report.openedRecords = compared
    }
}
