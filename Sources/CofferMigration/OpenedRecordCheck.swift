import CofferCore
import CofferStore

/// Reads every record of a store back with its values opened with the master key (tokens, projects, secret groups
/// and every kept version of them, addons, workloads, audit entries) and, when there is a reference store, compares
/// each kind with the same records read through it. Proof that the data keys open under the key and that sealed bytes
/// still open under their associated data; nothing opened is kept or printed.
package struct OpenedRecordCheck {
    /// One kept version of a secret group.
    package struct VersionKey: Sendable {
        package let scope: ProjectScope
        package let groupId: String
        package let version: Int
    }

    package let store: any SecretStore
    package let reference: (any SecretStore)?
    /// Records opened in `store`.
    package private(set) var opened = 0
    /// The first kind whose records differ from the reference's, if any.
    package private(set) var mismatch: String?

    package init(store: any SecretStore, reference: (any SecretStore)? = nil) {
        self.store = store
        self.reference = reference
    }

    /// Opens every record of `teams`, and the group versions `versions` names, then the whole audit log.
    package mutating func run(teams: [String], versions: [VersionKey]) async throws {
        for team in teams {
            _ = try await check("tokens") { try await $0.tokens(team: team) }
            for project in try await check("projects", { try await $0.projects(team: team) }) {
                let scope = ProjectScope(team: team, project: project.id)
                _ = try await check("secret groups") { try await $0.groups(in: scope) }
                for kind in AddonKind.allCases {
                    _ = try await check("addons") { try await $0.addons(kind: kind, in: scope) }
                }
                _ = try await check("workloads") { try await $0.workloads(kind: nil, in: scope) }
            }
        }
        for key in versions {
            _ = try await check("group versions") { [try await $0.groupVersion(id: key.groupId, version: key.version, in: key.scope)] }
        }
        var after: Int64 = 0
        while true {
            let page = try await check("audit entries") { try await $0.auditEntries(AuditQuery(after: after, limit: 1000)) }
            guard let last = page.last else { break }
            after = last.sequence
        }
    }

    /// The records `read` gives from the store, compared with the reference's when there is one.
    private mutating func check<Record: Equatable>(_ kind: String, _ read: (any SecretStore) async throws -> [Record]) async throws -> [Record] {
        let records = try await read(store)
        opened += records.count
        if let reference, mismatch == nil, try await read(reference) != records { mismatch = kind }
        return records
    }
}
