import CofferCore
import Foundation

/// The rows one read or write asked for, as its transaction saw them.
public struct LoadedRows: Sendable {
    private var rows: [RowKey: LoadedRow] = [:]

    public init() {}

    public subscript(key: RowKey) -> LoadedRow? {
        get { rows[key] }
        set { rows[key] = newValue }
    }

    package func flag(_ key: RowKey) -> Bool {
        if case .flag(let value) = rows[key] { return value }
        return false
    }

    package func team(_ id: String) -> Team? {
        if case .team(let team) = rows[.team(id)] { return team }
        return nil
    }

    /// The project's row and data keys, loaded plainly or locked.
    package func project(_ scope: ProjectScope) -> (row: ProjectRow, dataKeys: [DataKeyRow])? {
        if case .project(let row?, let keys) = rows[.project(scope)] ?? rows[.lockedProject(scope)] { return (row, keys) }
        return nil
    }

    package func projects(_ key: RowKey) -> [ProjectRow] {
        if case .projects(let rows) = rows[key] { return rows }
        return []
    }

    package func dataKeys(_ key: RowKey) -> [DataKeyRow] {
        if case .dataKeys(let rows) = rows[key] { return rows }
        return []
    }

    package func strings(_ key: RowKey) -> [String] {
        if case .strings(let values) = rows[key] { return values }
        return []
    }

    package func integers(_ key: RowKey) -> [Int] {
        if case .integers(let values) = rows[key] { return values }
        return []
    }

    package func sealedRows(_ key: RowKey) -> (groups: [GroupRow], addons: [AddonRow], workloads: [WorkloadRow], versions: [GroupVersionRow]) {
        if case .sealedRows(let groups, let addons, let workloads, let versions) = rows[key] { return (groups, addons, workloads, versions) }
        return ([], [], [], [])
    }

    package func version(_ key: RowKey) -> GroupVersionRow? {
        if case .version(let row) = rows[key] { return row }
        return nil
    }

    package func versions(_ key: RowKey) -> [GroupVersionRow] {
        if case .versions(let rows) = rows[key] { return rows }
        return []
    }

    package func historyAsOf(_ key: RowKey) -> [GroupHistoryAsOf] {
        if case .historyAsOf(let histories) = rows[key] { return histories }
        return []
    }

    package var wrappingKeyID: String? {
        if case .wrappingKeyID(let id) = rows[.wrappingKeyID] { return id }
        return nil
    }

    package func group(_ key: RowKey) -> GroupRow? {
        if case .group(let row) = rows[key] { return row }
        return nil
    }

    package func groups(_ key: RowKey) -> [GroupRow] {
        if case .groups(let rows) = rows[key] { return rows }
        return []
    }

    package func addon(_ key: RowKey) -> AddonRow? {
        if case .addon(let row) = rows[key] { return row }
        return nil
    }

    package func addons(_ key: RowKey) -> [AddonRow] {
        if case .addons(let rows) = rows[key] { return rows }
        return []
    }

    package func workload(_ key: RowKey) -> WorkloadRow? {
        if case .workload(let row) = rows[key] { return row }
        return nil
    }

    package func workloads(_ key: RowKey) -> [WorkloadRow] {
        if case .workloads(let rows) = rows[key] { return rows }
        return []
    }

    package func token(_ key: RowKey) -> Token? {
        if case .token(let token) = rows[key] { return token }
        return nil
    }

    package func tokens(_ key: RowKey) -> [Token] {
        if case .tokens(let tokens) = rows[key] { return tokens }
        return []
    }
}
