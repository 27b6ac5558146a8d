import CofferCore
import CofferStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The rows a batch of writes reads, in its transaction, with one statement for the kinds of row the write path
    /// reads most (projects, groups, a group's latest version) rather than one per row: every statement is a round
    /// trip, and a batch of 30 puts reads 90 rows. Other kinds are read one statement each, locked as
    /// `load(_:on:locking:)` locks them. The transaction holds the audit chain's head, so no other write can change
    /// these rows before it commits.
    package func loadTogether(_ keys: [RowKey], on connection: PostgresConnection) async throws -> LoadedRows {
        var rows = LoadedRows()
        var projects: [ProjectScope] = []
        var groups: [GroupAddress] = []
        var latestVersions: [GroupAddress] = []
        var others: [RowKey] = []
        for key in Set(keys) {
            switch key {
            case .project(let scope): projects.append(scope)
            case .group(let scope, let id): groups.append(GroupAddress(scope: scope, id: id))
            case .latestGroupVersion(let scope, let id): latestVersions.append(GroupAddress(scope: scope, id: id))
            default: others.append(key)
            }
        }
        if !projects.isEmpty || !groups.isEmpty || !latestVersions.isEmpty {
            try await loadGroupWriteRows(projects: projects, groups: groups, latestVersions: latestVersions, into: &rows, on: connection)
        }
        for key in others { rows[key] = try await load(key, on: connection, locking: true) }
        return rows
    }

    /// Projects, groups and latest versions through `GroupWriteRowsStatement`: one round trip, one prepared plan.
    private func loadGroupWriteRows(
        projects: [ProjectScope],
        groups: [GroupAddress],
        latestVersions: [GroupAddress],
        into rows: inout LoadedRows,
        on connection: PostgresConnection
    ) async throws {
        var projectRows: [ProjectScope: [StoredRow]] = [:]
        var foundGroups: [GroupAddress: GroupRow] = [:]
        var foundVersions: [GroupAddress: GroupVersionRow] = [:]
        let statement = GroupWriteRowsStatement(projects: projects, groups: groups, latestVersions: latestVersions)
        for try await row in try await connection.execute(statement, logger: logger) {
            let scope = ProjectScope(team: try row["team_id"], project: try row["project_id"])
            switch try row["kind"] as String {
            case "project":
                projectRows[scope, default: []].append(row)
            case "group":
                let group = try Self.group(from: row, in: scope, summary: false)
                foundGroups[GroupAddress(scope: scope, id: group.id)] = group
            default:
                let version = try Self.version(from: row, in: scope)
                foundVersions[GroupAddress(scope: scope, id: version.groupId)] = version
            }
        }
        for scope in projects {
            let fetched = projectRows[scope] ?? []
            rows[.project(scope)] = try Self.project(from: fetched, in: scope)
        }
        for address in groups { rows[.group(address.scope, id: address.id)] = .group(foundGroups[address]) }
        for address in latestVersions { rows[.latestGroupVersion(address.scope, id: address.id)] = .version(foundVersions[address]) }
    }
}
