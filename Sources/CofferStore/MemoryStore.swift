import CofferCore
import CofferCrypto
import Foundation
import Synchronization

/// The memory driver: the same rows the database drivers keep (values sealed under a master key of its own), held in
/// memory, nothing persisted. It runs the same rules through the same write path, and backs fast tests.
public final class MemoryStore: StoreDriver {
    private struct Tables {
        var teams: [String: Team] = [:]
        var tokens: [String: Token] = [:]
        var projects: [ProjectScope: ProjectRow] = [:]
        var dataKeys: [ProjectScope: [DataKeyRow]] = [:]
        var groups: [ProjectScope: [String: GroupRow]] = [:]
        var addons: [ProjectScope: [String: [String: AddonRow]]] = [:]
        var workloads: [ProjectScope: [String: [String: WorkloadRow]]] = [:]
        var audit: [AuditEntry] = []
        /// Each group id's versions by number.
        var versions: [ProjectScope: [String: [Int: GroupVersionRow]]] = [:]
        /// The master key new data keys are wrapped by, once a rotation recorded one.
        var primaryKeyID: String?
    }

    private let tables = Mutex(Tables())
    public let batcher = WriteBatcher()
    public let codec: RecordCodec

    /// An empty store whose values are sealed under a fresh random master key.
    public init(masterKey: MasterKey = .generate()) {
        codec = RecordCodec(keyring: LiveKeyring(MasterKeyring(primary: masterKey), reload: nil))
    }

    public var kind: String { "memory" }

    public func load(_ keys: [RowKey]) async throws -> LoadedRows {
        tables.withLock { tables in Self.load(keys, from: tables) }
    }

    public func commit(_ writes: [StoreWrite]) async -> [Result<WriteDecision, any Error>] {
        tables.withLock { tables in
            var entries: [AuditEntry] = []
            var results = writes.map { write -> Result<WriteDecision, any Error> in
                // Deciding changes nothing, and applying cannot fail: a write that throws leaves the tables as they were.
                Result {
                    let decision = try write.decide(Self.load(write.reads, from: tables))
                    Self.apply(decision.changes, to: &tables)
                    entries += decision.audit
                    return decision
                }
            }
            let linked = AuditChain.link(entries, after: tables.audit.last.map { (sequence: $0.sequence, hash: $0.hash) })
            let numbered = AuditChain.numbering(linked, after: Self.revisions(of: linked, in: tables.audit))
            tables.audit += numbered
            results.record(numbered)
            return results
        }
    }

    public func latestRevision(in scope: ProjectScope) async throws -> Int64 {
        tables.withLock { Self.revisions(of: [], in: $0.audit, only: scope)[scope] ?? 0 }
    }

    /// The latest revision of each project `entries` (or `only`) name, in `audit`.
    private static func revisions(of entries: [AuditEntry], in audit: [AuditEntry], only: ProjectScope? = nil) -> [ProjectScope: Int64] {
        var wanted = Set(entries.compactMap { entry in entry.projectId.map { ProjectScope(team: entry.teamId, project: $0) } })
        if let only { wanted.insert(only) }
        var latest: [ProjectScope: Int64] = [:]
        for entry in audit.reversed() {
            guard let projectId = entry.projectId, let revision = entry.revision else { continue }
            let scope = ProjectScope(team: entry.teamId, project: projectId)
            if wanted.contains(scope), latest[scope] == nil { latest[scope] = revision }
            if latest.count == wanted.count { break }
        }
        return latest
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        tables.withLock { tables in Array(tables.audit.filter { query.matches($0) && $0.sequence > (query.after ?? 0) }.prefix(query.limit)) }
    }

    private static func load(_ keys: [RowKey], from tables: Tables) -> LoadedRows {
        var rows = LoadedRows()
        for key in keys { rows[key] = load(key, from: tables) }
        return rows
    }

    private static func load(_ key: RowKey, from tables: Tables) -> LoadedRow {
        switch key {
        case .anyTeam:
            return .flag(!tables.teams.isEmpty)
        case .team(let id):
            return .team(tables.teams[id])
        case .project(let scope):
            return .project(tables.projects[scope], dataKeys: tables.dataKeys[scope] ?? [])
        case .projects(let team):
            return .projects(tables.projects.values.filter { $0.project.teamId == team }.sorted { $0.project.id < $1.project.id })
        case .wrappingKeyID:
            return .wrappingKeyID(tables.primaryKeyID)
        case .group(let scope, let id):
            return .group(tables.groups[scope]?[id])
        case .groups(let scope):
            return .groups(sortedGroups(in: scope, tables))
        case .groupSummaries(let scope, let after, let offset, let limit):
            let sorted = sortedGroups(in: scope, tables)
            let remaining = after.map { cursor in sorted.filter { $0.id > cursor } } ?? Array(sorted.dropFirst(offset))
            return .groups(Array(remaining.prefix(limit)))
        case .addon(let scope, let kind, let id):
            return .addon(tables.addons[scope]?[kind]?[id])
        case .addons(let scope, let kind):
            return .addons((tables.addons[scope]?[kind] ?? [:]).values.sorted { $0.id < $1.id })
        case .workload(let scope, let kind, let id):
            return .workload(tables.workloads[scope]?[kind]?[id])
        case .workloads(let scope, let kind):
            let kinds = kind.map { [$0] } ?? WorkloadKind.allCases.map(\.rawValue)
            return .workloads(kinds.flatMap { kind in (tables.workloads[scope]?[kind] ?? [:]).values.sorted { $0.id < $1.id } })
        case .token(let id, let team):
            return .token(tables.tokens[id].flatMap { $0.teamId == team ? $0 : nil })
        case .tokenWithHash(let hash):
            return .token(tables.tokens.values.first { $0.secretHash == hash })
        case .tokenTaken(let id, let hash):
            return .flag(tables.tokens[id] != nil || tables.tokens.values.contains { $0.secretHash == hash })
        case .tokens(let team):
            return .tokens(tables.tokens.values.filter { $0.teamId == team }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
        case .lockedProject(let scope):
            return .project(tables.projects[scope], dataKeys: tables.dataKeys[scope] ?? [])
        case .allProjects:
            return .projects(tables.projects.values.sorted { ($0.project.teamId, $0.project.id) < ($1.project.teamId, $1.project.id) })
        case .projectsWithOlderDataKeys:
            return .projects(
                tables.projects.values.filter { project in
                    (tables.dataKeys[project.scope] ?? []).contains { $0.generation != project.dataKeyGeneration }
                }.sorted { ($0.project.teamId, $0.project.id) < ($1.project.teamId, $1.project.id) }
            )
        case .dataKeysNotWrapped(let masterKeyID, let limit):
            let stale = tables.dataKeys.values.joined().filter { $0.masterKeyID != masterKeyID }
                .sorted { ($0.scope.teamId, $0.scope.projectId, $0.generation) < ($1.scope.teamId, $1.scope.projectId, $1.generation) }
            return .dataKeys(Array(stale.prefix(limit ?? stale.count)))
        case .masterKeyIDsInUse:
            return .strings(Array(Set(tables.dataKeys.values.joined().map(\.masterKeyID) + [tables.primaryKeyID].compactMap { $0 })))
        case .rowsSealedUnderOlderKeys(let scope, let limit):
            let current = tables.projects[scope]?.dataKeyGeneration
            let groups = sortedGroups(in: scope, tables).filter { $0.dataKeyGeneration != current }.prefix(limit)
            let addons = (tables.addons[scope] ?? [:]).values.flatMap(\.values).filter { $0.dataKeyGeneration != current }.prefix(limit)
            let workloads = (tables.workloads[scope] ?? [:]).values.flatMap(\.values).filter { $0.dataKeyGeneration != current }.prefix(limit)
            let versions = (tables.versions[scope] ?? [:]).values.flatMap(\.values)
                .filter { $0.group.map { $0.dataKeyGeneration != current } ?? false }.prefix(limit)
            return .sealedRows(groups: Array(groups), addons: Array(addons), workloads: Array(workloads), versions: Array(versions))
        case .generationsInUse(let scope):
            let groups = (tables.groups[scope] ?? [:]).values.map(\.dataKeyGeneration)
            let addons = (tables.addons[scope] ?? [:]).values.flatMap(\.values).map(\.dataKeyGeneration)
            let workloads = (tables.workloads[scope] ?? [:]).values.flatMap(\.values).map(\.dataKeyGeneration)
            let versions = (tables.versions[scope] ?? [:]).values.flatMap(\.values).compactMap(\.group?.dataKeyGeneration)
            return .integers(Array(Set(groups + addons + workloads + versions)))
        case .groupVersions(let scope, let id, let before, let limit):
            let versions = history(of: id, in: scope, tables).reversed().filter { before == nil || $0.version < before! }
            return .versions(versions.prefix(limit).map(\.withoutRow))
        case .groupVersion(let scope, let id, let version):
            return .version(tables.versions[scope]?[id]?[version])
        case .latestGroupVersion(let scope, let id):
            return .version(history(of: id, in: scope, tables).last?.withoutRow)
        case .latestGroupContent(let scope, let id):
            return .version(history(of: id, in: scope, tables).last { !$0.isDeletion })
        case .historyAsOf(let scope, let at):
            return .historyAsOf(
                (tables.versions[scope] ?? [:]).keys.sorted().compactMap { id in
                    let versions = history(of: id, in: scope, tables)
                    guard let oldest = versions.first, let newest = versions.last else { return nil }
                    return GroupHistoryAsOf(groupId: id, then: versions.last { $0.at <= at }, oldestKept: oldest.version, newest: newest.version)
                }
            )
        case .expiredVersions(let keepVersions, let deletedBefore, let limit, let among):
            var expired: [GroupVersionRow] = []
            for (scope, groups) in tables.versions {
                for id in groups.keys.sorted() where among.map({ $0.contains(GroupAddress(scope: scope, id: id)) }) ?? true {
                    let versions = history(of: id, in: scope, tables)
                    if let newest = versions.last, newest.isDeletion, newest.at < deletedBefore {
                        expired += versions
                        continue
                    }
                    let content = versions.filter { !$0.isDeletion }
                    guard content.count > keepVersions else { continue }
                    let oldestKept = content[content.count - keepVersions].version
                    expired += versions.filter { $0.version < oldestKept }
                }
            }
            return .versions(expired.prefix(limit).map(\.withoutRow))
        }
    }

    /// A group id's versions, oldest first.
    private static func history(of id: String, in scope: ProjectScope, _ tables: Tables) -> [GroupVersionRow] {
        (tables.versions[scope]?[id] ?? [:]).values.sorted { $0.version < $1.version }
    }

    private static func sortedGroups(in scope: ProjectScope, _ tables: Tables) -> [GroupRow] {
        (tables.groups[scope] ?? [:]).values.sorted { $0.id < $1.id }
    }

    private static func apply(_ changes: [RowChange], to tables: inout Tables) {
        for change in changes {
            switch change {
            case .insertTeam(let team): tables.teams[team.id] = team
            case .insertToken(let token), .updateToken(let token): tables.tokens[token.id] = token
            case .insertProject(let row, let dataKey):
                tables.projects[row.scope] = row
                tables.dataKeys[row.scope] = [dataKey]
            case .deleteProject(let scope):
                tables.projects[scope] = nil
                tables.dataKeys[scope] = nil
                tables.groups[scope] = nil
                tables.addons[scope] = nil
                tables.workloads[scope] = nil
                tables.versions[scope] = nil
            case .insertGroupVersion(let row), .resealGroupVersion(let row):
                tables.versions[row.scope, default: [:]][row.groupId, default: [:]][row.version] = row
            case .deleteGroupVersions(let rows):
                for row in rows { tables.versions[row.scope]?[row.groupId]?[row.version] = nil }
            case .insertGroup(let row), .updateGroup(let row): tables.groups[row.scope, default: [:]][row.id] = row
            case .deleteGroup(let scope, let id): tables.groups[scope]?[id] = nil
            case .insertAddon(let row), .updateAddon(let row): tables.addons[row.scope, default: [:]][row.kind, default: [:]][row.id] = row
            case .deleteAddon(let scope, let kind, let id): tables.addons[scope]?[kind]?[id] = nil
            case .insertWorkload(let row), .updateWorkload(let row):
                tables.workloads[row.scope, default: [:]][row.kind, default: [:]][row.id] = row
            case .deleteWorkload(let scope, let kind, let id): tables.workloads[scope]?[kind]?[id] = nil
            case .insertDataKey(let row): tables.dataKeys[row.scope, default: []].append(row)
            case .updateDataKey(let row):
                tables.dataKeys[row.scope] = tables.dataKeys[row.scope]?.map { $0.generation == row.generation ? row : $0 }
            case .deleteDataKey(let scope, let generation): tables.dataKeys[scope]?.removeAll { $0.generation == generation }
            case .setDataKeyGeneration(let scope, let generation): tables.projects[scope]?.dataKeyGeneration = generation
            case .recordPrimaryMasterKey(let id, _): tables.primaryKeyID = id
            }
        }
    }
}
