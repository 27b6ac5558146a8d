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

    func flag(_ key: RowKey) -> Bool {
        if case .flag(let value) = rows[key] { return value }
        return false
    }

    func team(_ id: String) -> Team? {
        if case .team(let team) = rows[.team(id)] { return team }
        return nil
    }

    /// The project's row and data keys, loaded plainly or locked.
    func project(_ scope: ProjectScope) -> (row: ProjectRow, dataKeys: [DataKeyRow])? {
        if case .project(let row?, let keys) = rows[.project(scope)] ?? rows[.lockedProject(scope)] { return (row, keys) }
        return nil
    }

    func projects(_ key: RowKey) -> [ProjectRow] {
        if case .projects(let rows) = rows[key] { return rows }
        return []
    }

    func dataKeys(_ key: RowKey) -> [DataKeyRow] {
        if case .dataKeys(let rows) = rows[key] { return rows }
        return []
    }

    func strings(_ key: RowKey) -> [String] {
        if case .strings(let values) = rows[key] { return values }
        return []
    }

    func integers(_ key: RowKey) -> [Int] {
        if case .integers(let values) = rows[key] { return values }
        return []
    }

    func sealedRows(_ key: RowKey) -> (groups: [GroupRow], addons: [AddonRow], workloads: [WorkloadRow]) {
        if case .sealedRows(let groups, let addons, let workloads) = rows[key] { return (groups, addons, workloads) }
        return ([], [], [])
    }

    var wrappingKeyID: String? {
        if case .wrappingKeyID(let id) = rows[.wrappingKeyID] { return id }
        return nil
    }

    func group(_ key: RowKey) -> GroupRow? {
        if case .group(let row) = rows[key] { return row }
        return nil
    }

    func groups(_ key: RowKey) -> [GroupRow] {
        if case .groups(let rows) = rows[key] { return rows }
        return []
    }

    func addon(_ key: RowKey) -> AddonRow? {
        if case .addon(let row) = rows[key] { return row }
        return nil
    }

    func addons(_ key: RowKey) -> [AddonRow] {
        if case .addons(let rows) = rows[key] { return rows }
        return []
    }

    func workload(_ key: RowKey) -> WorkloadRow? {
        if case .workload(let row) = rows[key] { return row }
        return nil
    }

    func workloads(_ key: RowKey) -> [WorkloadRow] {
        if case .workloads(let rows) = rows[key] { return rows }
        return []
    }

    func token(_ key: RowKey) -> Token? {
        if case .token(let token) = rows[key] { return token }
        return nil
    }

    func tokens(_ key: RowKey) -> [Token] {
        if case .tokens(let tokens) = rows[key] { return tokens }
        return []
    }
}
