import CofferCore
import CofferCrypto
import Foundation

/// The reference store: plain values in memory, nothing persisted. It defines the semantics every other backend
/// must match in the conformance suite, and backs fast tests.
public actor MemoryStore: SecretStore {
    private var teams: [String: Team] = [:]
    private var tokens: [Data: Token] = [:]
    private var projectsByScope: [ProjectScope: Project] = [:]
    private var groups: [ProjectScope: [String: SecretGroup]] = [:]
    private var addonsByKind: [AddonKind: [ProjectScope: [String: Addon]]] = [:]
    private var workloadsByKind: [WorkloadKind: [ProjectScope: [String: Workload]]] = [:]
    private var audit: [AuditEntry] = []

    public init() {}

    public nonisolated var kind: String { "memory" }

    public func isEmpty() -> Bool { teams.isEmpty }

    public func bootstrap(team: Team, token: Token) throws {
        guard teams[team.id] == nil else { throw StoreError(.alreadyExists, "Team '\(team.id)' already exists") }
        teams[team.id] = team
        tokens[token.secretHash] = token
        append(.tokenChange(.create, token, at: token.createdAt, by: .current))
    }

    /// Links `entry` into the chain; called after each change, with nothing in between that can fail.
    private func append(_ entry: AuditEntry) {
        audit.append(AuditChain.link(entry, after: audit.last.map { (sequence: $0.sequence, hash: $0.hash) }))
    }

    public func auditEntries(_ query: AuditQuery) -> [AuditEntry] {
        Array(audit.filter { query.matches($0) && $0.sequence > (query.after ?? 0) }.prefix(query.limit))
    }

    public func token(hash: Data) -> Token? { tokens[hash] }

    public func createToken(_ token: Token) throws {
        guard teams[token.teamId] != nil else { throw StoreError.teamNotFound(token.teamId) }
        guard tokens[token.secretHash] == nil, !tokens.values.contains(where: { $0.id == token.id }) else { throw StoreError.tokenExists(token.id) }
        tokens[token.secretHash] = token
        append(.tokenChange(.create, token, at: token.createdAt, by: .current))
    }

    public func tokens(team teamId: String) -> [Token] {
        tokens.values.filter { $0.teamId == teamId }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func revokeToken(id: String, team teamId: String, at now: Timestamp) -> Token? {
        guard var token = tokens.values.first(where: { $0.id == id && $0.teamId == teamId }) else { return nil }
        guard token.revokedAt == nil else { return token }
        token.revokedAt = now
        tokens[token.secretHash] = token
        append(.tokenChange(.revoke, token, at: now, by: .current))
        return token
    }

    public func createProject(_ definition: ProjectDefinition, team teamId: String, at now: Timestamp) throws -> Project {
        let scope = ProjectScope(team: teamId, project: definition.id)
        guard projectsByScope[scope] == nil else { throw StoreError.projectExists(definition.id) }
        let project = Project(id: definition.id, teamId: teamId, name: definition.name, description: definition.description, createdAt: now)
        projectsByScope[scope] = project
        groups[scope] = [:]
        append(.change(.create, .project, id: project.id, team: teamId, project: project.id, at: now, by: .current))
        return project
    }

    public func projects(team teamId: String) -> [Project] {
        projectsByScope.values.filter { $0.teamId == teamId }.sorted { $0.id < $1.id }
    }

    public func project(_ scope: ProjectScope) -> Project? { projectsByScope[scope] }

    public func deleteProject(_ scope: ProjectScope) -> Bool {
        groups[scope] = nil
        for kind in AddonKind.allCases { addonsByKind[kind]?[scope] = nil }
        for kind in WorkloadKind.allCases { workloadsByKind[kind]?[scope] = nil }
        guard projectsByScope.removeValue(forKey: scope) != nil else { return false }
        append(.change(.delete, .project, id: scope.projectId, team: scope.teamId, project: scope.projectId, at: .now(), by: .current))
        return true
    }

    public func putGroup(
        _ definition: SecretGroupDefinition,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?
    ) throws -> (SecretGroup, WriteOutcome) {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        if let existing = groups[scope]?[definition.id] {
            try StoreError.check(expected: expectedVersion, current: existing.version)
            let (next, outcome) = existing.put(definition, at: now)
            groups[scope]?[definition.id] = next
            if outcome == .updated { append(.groupChange(from: existing, to: next, in: scope, at: now, by: .current)) }
            return (next, outcome)
        }
        // If-Match names a version of something that must exist.
        guard expectedVersion == nil || expectedVersion == 0 else { throw StoreError.versionMismatch }
        let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
        groups[scope]?[definition.id] = group
        append(.groupChange(from: nil, to: group, in: scope, at: now, by: .current))
        return (group, .created)
    }

    public func createGroup(_ definition: SecretGroupDefinition, in scope: ProjectScope, at now: Timestamp) throws -> SecretGroup {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        guard groups[scope]?[definition.id] == nil else { throw StoreError.groupExists }
        let group = SecretGroup.created(from: definition, in: scope.projectId, at: now)
        groups[scope]?[definition.id] = group
        append(.groupChange(from: nil, to: group, in: scope, at: now, by: .current))
        return group
    }

    public func updateGroup(
        id: String,
        in scope: ProjectScope,
        at now: Timestamp,
        expectedVersion: Int?,
        change: @escaping @Sendable (SecretGroupDefinition) throws -> SecretGroupDefinition
    ) throws -> (SecretGroup, WriteOutcome) {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        guard let existing = groups[scope]?[id] else { throw StoreError.groupNotFound(id) }
        try StoreError.check(expected: expectedVersion, current: existing.version)
        let (next, outcome) = existing.put(try change(existing.definition), at: now)
        groups[scope]?[id] = next
        if outcome == .updated { append(.groupChange(from: existing, to: next, in: scope, at: now, by: .current)) }
        return (next, outcome)
    }

    public func deleteGroup(id: String, in scope: ProjectScope, expectedVersion: Int?) throws -> Bool {
        guard let existing = groups[scope]?[id] else { return false }
        try StoreError.check(expected: expectedVersion, current: existing.version)
        groups[scope]?[id] = nil
        append(.change(.delete, .secret, id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: .current))
        return true
    }

    public func group(id: String, in scope: ProjectScope) -> SecretGroup? { groups[scope]?[id] }

    public func groups(in scope: ProjectScope) -> [SecretGroup] {
        (groups[scope] ?? [:]).values.sorted { $0.id < $1.id }
    }

    public func groupSummaries(in scope: ProjectScope, after: String?, offset: Int, limit: Int) -> [SecretGroupSummary] {
        let sorted = (groups[scope] ?? [:]).values.sorted { $0.id < $1.id }
        let remaining = after.map { cursor in sorted.filter { $0.id > cursor } } ?? Array(sorted.dropFirst(offset))
        return remaining.prefix(limit).map(SecretGroupSummary.init)
    }

    public func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) throws -> Addon {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        guard addonsByKind[kind]?[scope]?[definition.id] == nil else { throw StoreError.addonExists(definition.id, kind: kind) }
        let addon = Addon(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
        addonsByKind[kind, default: [:]][scope, default: [:]][definition.id] = addon
        append(.addonChange(from: nil, to: addon, in: scope, at: now, by: .current))
        return addon
    }

    public func addons(kind: AddonKind, in scope: ProjectScope) -> [Addon] {
        (addonsByKind[kind]?[scope] ?? [:]).values.sorted { $0.id < $1.id }
    }

    public func addon(id: String, kind: AddonKind, in scope: ProjectScope) -> Addon? {
        addonsByKind[kind]?[scope]?[id]
    }

    public func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) throws -> Addon {
        guard let existing = addonsByKind[kind]?[scope]?[id] else { throw StoreError.addonNotFound(id, kind: kind) }
        let next = existing.replaced(by: try change(existing.definition), at: now)
        guard next != existing else { return existing }
        addonsByKind[kind]?[scope]?[id] = next
        append(.addonChange(from: existing, to: next, in: scope, at: now, by: .current))
        return next
    }

    public func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) throws -> Bool {
        guard addonsByKind[kind]?[scope]?[id] != nil else { return false }
        let linking = (groups[scope] ?? [:]).values.filter { $0.definition.links(addonId: id, kind: kind) }.map(\.id).sorted()
        guard linking.isEmpty else { throw StoreError.addonInUse(id, kind: kind, groups: linking) }
        addonsByKind[kind]?[scope]?[id] = nil
        append(.change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: .current))
        return true
    }

    public func createWorkload(_ definition: WorkloadDefinition, kind: WorkloadKind, in scope: ProjectScope, at now: Timestamp) throws -> Workload {
        guard projectsByScope[scope] != nil else { throw StoreError.projectNotFound(scope) }
        guard workloadsByKind[kind]?[scope]?[definition.id] == nil else { throw StoreError.workloadExists(definition.id, kind: kind) }
        let workload = Workload(kind: kind, definition: definition, version: 1, createdAt: now, updatedAt: now)
        workloadsByKind[kind, default: [:]][scope, default: [:]][definition.id] = workload
        append(.workloadChange(from: nil, to: workload, in: scope, at: now, by: .current))
        return workload
    }

    public func workloads(kind: WorkloadKind?, in scope: ProjectScope) -> [Workload] {
        (kind.map { [$0] } ?? WorkloadKind.allCases).flatMap { kind in
            (workloadsByKind[kind]?[scope] ?? [:]).values.sorted { $0.id < $1.id }
        }
    }

    public func workload(id: String, kind: WorkloadKind, in scope: ProjectScope) -> Workload? {
        workloadsByKind[kind]?[scope]?[id]
    }

    public func updateWorkload(
        id: String,
        kind: WorkloadKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (WorkloadDefinition) throws -> WorkloadDefinition
    ) throws -> Workload {
        guard let existing = workloadsByKind[kind]?[scope]?[id] else { throw StoreError.workloadNotFound(id, kind: kind) }
        let next = existing.replaced(by: try change(existing.definition), at: now)
        guard next != existing else { return existing }
        workloadsByKind[kind]?[scope]?[id] = next
        append(.workloadChange(from: existing, to: next, in: scope, at: now, by: .current))
        return next
    }

    public func deleteWorkload(id: String, kind: WorkloadKind, in scope: ProjectScope) -> Bool {
        guard workloadsByKind[kind]?[scope]?.removeValue(forKey: id) != nil else { return false }
        append(.change(.delete, AuditResourceType(kind), id: id, team: scope.teamId, project: scope.projectId, at: .now(), by: .current))
        return true
    }
}
