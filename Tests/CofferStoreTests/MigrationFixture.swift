import CofferCore
import CofferCrypto
import CofferSQLite
import CofferStore
import CofferTestSupport
import Foundation
import GRDB

/// A SQLite store holding every kind of record `coffer migrate` moves, and everything read back from a store.
enum MigrationFixture {
    static let other = ProjectScope(team: "other", project: "billing")
    static let rotated = ProjectScope(team: "default", project: "rotated")

    /// Two teams with tokens (one scoped to projects, one to a workload, one expiring, one revoked), projects with
    /// groups (files, Docker mounts, addon links, a second version), addons of both kinds, services and jobs with
    /// their own values, and a project whose data key was rotated to generation 2.
    static func seed(_ store: SQLiteStore) async throws {
        try await store.bootstrap(team: Fixtures.team, token: Fixtures.token)
        let otherTeam = Team(id: "other", name: "Other", createdAt: Fixtures.t0)
        try await store.bootstrap(team: otherTeam, token: token("other-admin", team: "other", role: "admin"))
        for scope in [Fixtures.demo, rotated, other] {
            _ = try await store.createProject(ProjectDefinition(name: scope.projectId.capitalized), team: scope.teamId, at: Fixtures.t0)
            let credentials = ["USERNAME": "user-\(scope.projectId)", "PASSWORD": "pw"]
            _ = try await store.createAddon(
                AddonDefinition(name: "Example Addon", type: "mongodb", credentials: credentials),
                kind: .addon,
                in: scope,
                at: Fixtures.t0
            )
            _ = try await store.createAddon(
                AddonDefinition(name: "Vault", type: "vault", credentials: ["TOKEN": "s.\(scope.projectId)"]),
                kind: .external,
                in: scope,
                at: Fixtures.t0
            )
            _ = try await store.putGroup(Fixtures.definition(), in: scope, at: Fixtures.t0)
            var config = Fixtures.definition(name: "Shared Config", variables: ["LOG_LEVEL": "debug"])
            config.type = .config
            config.tags = ["web"]
            config.externalAddonDependencies = [AddonDependency(addonId: "vault", keys: [.init(keyName: "TOKEN")])]
            _ = try await store.putGroup(config, in: scope, at: Fixtures.t0)
            config.secrets.variables["LOG_LEVEL"] = "info"
            _ = try await store.putGroup(config, in: scope, at: at(1000))
            let values = WorkloadValues(
                runtimeEnvironment: ["API_KEY": "key-\(scope.projectId)"],
                runtimeFiles: ["/etc/app.conf": SecretFile(data: Data("conf".utf8))],
                buildArguments: ["VERSION": "1"]
            )
            _ = try await store.createWorkload(
                WorkloadDefinition(name: "Example Service", tags: ["web"], values: values),
                kind: .service,
                in: scope,
                at: Fixtures.t0
            )
            _ = try await store.createWorkload(WorkloadDefinition(name: "Nightly", stageId: "prod"), kind: .job, in: scope, at: Fixtures.t0)
        }
        var scoped = token("ci-deploy", team: "default", role: "developer")
        scoped.projectIds = ["demo"]
        scoped.expiresAt = at(86_400_000)
        try await store.createToken(scoped)
        var workload = token("api-runtime", team: "default", role: "workload")
        workload.workload = WorkloadReference(projectId: "demo", kind: .service, id: "example-service")
        try await store.createToken(workload)
        try await store.createToken(token("old", team: "default", role: "viewer"))
        _ = try await store.revokeToken(id: "old", team: "default", at: at(2000))
        _ = try await store.rotateDataKeys(in: rotated)
    }

    /// `milliseconds` after the fixture's time.
    static func at(_ milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Fixtures.t0.millisecondsSinceEpoch + milliseconds)
    }

    static func token(_ id: String, team: String, role: String) -> Token {
        Token(id: id, teamId: team, name: id, secretHash: Data((team + "/" + id).utf8), roleName: role, createdAt: Fixtures.t0)
    }

    /// Everything a store holds for the fixture's teams, values opened.
    struct Contents: Equatable {
        var tokens: [[Token]] = []
        var projects: [[Project]] = []
        var groups: [[SecretGroup]] = []
        var addons: [[Addon]] = []
        var workloads: [[Workload]] = []
        var audit: [AuditEntry] = []
    }

    static func contents(of store: any SecretStore) async throws -> Contents {
        var contents = Contents()
        for team in ["default", "other"] {
            contents.tokens.append(try await store.tokens(team: team))
            let projects = try await store.projects(team: team)
            contents.projects.append(projects)
            for project in projects {
                let scope = ProjectScope(team: team, project: project.id)
                contents.groups.append(try await store.groups(in: scope))
                contents.addons.append(try await store.addons(kind: .addon, in: scope) + store.addons(kind: .external, in: scope))
                contents.workloads.append(try await store.workloads(kind: nil, in: scope))
            }
        }
        contents.audit = try await store.auditEntries(AuditQuery(limit: 10_000))
        return contents
    }
}
