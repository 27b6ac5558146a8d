import CofferCore
import CofferServer
import CofferStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every route against every built-in role: allowed, or the exact 403. The expectations are written out here, not
/// derived from `Role`, so a role that gains or loses a permission fails this suite.
@Suite struct PermissionMatrixTests {
    enum Expectation: Equatable {
        case allowed
        /// 403 naming the permission.
        case forbidden(String)
        /// 403: the workload token addresses another workload.
        case outsideWorkload
    }

    struct Route: CustomTestStringConvertible, Sendable {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// The permission the route needs.
        var permission: String
        /// The roles that may call it; every other role gets the 403 naming `permission`.
        var allowed: Set<String>
        /// Roles answered otherwise.
        var exceptions: [String: Expectation] = [:]

        var testDescription: String { "\(method) \(path)" }

        func expectation(for role: String) -> Expectation {
            if let exception = exceptions[role] { return exception }
            return allowed.contains(role) ? .allowed : .forbidden(permission)
        }
    }

    static let roles = ["admin", "developer", "viewer", "config-editor", "workload"]
    static let allReaders: Set<String> = ["admin", "developer", "viewer", "config-editor"]
    static let writers: Set<String> = ["admin", "developer"]
    static let groupEditors: Set<String> = ["admin", "developer", "config-editor"]
    static let general = "Project > Secrets > General > Read"

    static let secretBody =
        #"{"name": "Secret New", "type": "secret", "secretType": "environment", "priority": 1, "secrets": {"variables": {"K": "v"}}}"#
    static let configBody =
        #"{"name": "Config New", "type": "config", "secretType": "environment", "priority": 1, "secrets": {"variables": {"K": "v"}}}"#
    static let linkBody = #"{"keys": [{"keyName": "HOST", "aliases": []}]}"#

    static let routes: [Route] = {
        let p = "/v1/projects/demo"
        let list = "Project > Secrets > SecretGroups > List"
        let create = "Project > Secrets > SecretGroups > Create"
        let update = "Project > Secrets > SecretGroups > Update"
        let delete = "Project > Secrets > SecretGroups > Delete"
        let read = "Project > Secrets > SecretGroups > Read"
        let addonsRead = "Project > Addons > Read"
        let addonsManage = "Project > Addons > Manage"
        let servicesRead = "Project > Secrets > Services > Read"
        let servicesUpdate = "Project > Secrets > Services > Update"
        let jobsRead = "Project > Secrets > Jobs > Read"
        let jobsUpdate = "Project > Secrets > Jobs > Update"
        let tokens = "Team > Tokens > Manage"
        let editorNeedsGeneral: [String: Expectation] = ["config-editor": .forbidden(general)]
        let workloadReads: Set<String> = allReaders.union(["workload"])
        let otherWorkload: [String: Expectation] = ["workload": .outsideWorkload]
        var routes: [Route] = [
            Route(method: .get, path: "/v1/projects", permission: "Team > Projects > Read", allowed: allReaders),
            Route(method: .post, path: "/v1/projects", body: #"{"name": "New One"}"#, permission: "Team > Projects > Manage", allowed: writers),
            Route(method: .get, path: p, permission: "Team > Projects > Read", allowed: allReaders),
            Route(method: .delete, path: "/v1/projects/other", permission: "Team > Projects > Manage", allowed: writers),
            Route(method: .get, path: "\(p)/secrets", permission: list, allowed: allReaders),
            Route(method: .post, path: "\(p)/secrets", body: configBody, permission: create, allowed: groupEditors),
            Route(method: .post, path: "\(p)/secrets", body: secretBody, permission: create, allowed: writers, exceptions: editorNeedsGeneral),
            Route(method: .put, path: "\(p)/secrets", body: configBody, permission: create, allowed: groupEditors),
            Route(method: .put, path: "\(p)/secrets", body: secretBody, permission: create, allowed: writers, exceptions: editorNeedsGeneral),
            // Replacing a secret-type group with a config-type body is a write to secret values too.
            Route(
                method: .put,
                path: "\(p)/secrets",
                body: configBody.replacingOccurrences(of: "Config New", with: "Secret Group"),
                permission: create,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            Route(method: .get, path: "\(p)/secrets/secret-group", permission: read, allowed: allReaders),
            Route(method: .get, path: "\(p)/secrets/config-group", permission: read, allowed: allReaders),
            Route(method: .get, path: "\(p)/secrets/secret-group/details", permission: read, allowed: allReaders),
            Route(method: .patch, path: "\(p)/secrets/config-group", body: #"{"priority": 3}"#, permission: update, allowed: groupEditors),
            Route(
                method: .patch,
                path: "\(p)/secrets/secret-group",
                body: #"{"priority": 3}"#,
                permission: update,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            // Retyping a config group into a secret group needs the secret values permission.
            Route(
                method: .patch,
                path: "\(p)/secrets/config-group",
                body: #"{"type": "secret"}"#,
                permission: update,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            Route(method: .post, path: "\(p)/secrets/config-group", body: #"{"priority": 4}"#, permission: update, allowed: groupEditors),
            Route(method: .delete, path: "\(p)/secrets/config-group", permission: delete, allowed: groupEditors),
            Route(method: .delete, path: "\(p)/secrets/secret-group", permission: delete, allowed: writers, exceptions: editorNeedsGeneral),
            Route(method: .get, path: "\(p)/secrets/config-group/addons/orders-db", permission: read, allowed: allReaders),
            Route(method: .post, path: "\(p)/secrets/config-group/addons/orders-db", body: linkBody, permission: update, allowed: groupEditors),
            Route(method: .delete, path: "\(p)/secrets/config-group/addons/orders-db", permission: update, allowed: groupEditors),
            Route(
                method: .post,
                path: "\(p)/secrets/secret-group/addons/orders-db",
                body: linkBody,
                permission: update,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            Route(method: .get, path: "\(p)/secrets/config-group/versions", permission: read, allowed: allReaders),
            Route(method: .get, path: "\(p)/secrets/secret-group/versions/1", permission: read, allowed: allReaders),
            Route(method: .get, path: "\(p)/secrets/config-group/diff", permission: read, allowed: allReaders),
            Route(
                method: .get,
                path: "\(p)/secrets/secret-group/diff?showValues=true",
                permission: read,
                allowed: writers,
                exceptions: ["viewer": .forbidden(general), "config-editor": .forbidden(general)]
            ),
            Route(method: .post, path: "\(p)/secrets/config-group/rollback", body: #"{"version": 1}"#, permission: update, allowed: groupEditors),
            Route(
                method: .post,
                path: "\(p)/secrets/secret-group/rollback",
                body: #"{"version": 1}"#,
                permission: update,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            Route(method: .post, path: "\(p)/secrets/gone-config/restore", body: "{}", permission: create, allowed: groupEditors),
            Route(
                method: .post,
                path: "\(p)/secrets/gone-secret/restore",
                body: "{}",
                permission: create,
                allowed: writers,
                exceptions: editorNeedsGeneral
            ),
            Route(method: .get, path: "/v1/tokens", permission: tokens, allowed: ["admin"]),
            Route(method: .post, path: "/v1/tokens", body: #"{"name": "New Token", "role": "viewer"}"#, permission: tokens, allowed: ["admin"]),
            Route(method: .get, path: "/v1/tokens/tok-spare", permission: tokens, allowed: ["admin"]),
            Route(method: .delete, path: "/v1/tokens/tok-spare", permission: tokens, allowed: ["admin"]),
            Route(method: .get, path: "/v1/health", permission: "", allowed: Set(roles)),
            Route(method: .get, path: "\(p)/audit", permission: "Project > Audit > Read", allowed: ["admin", "developer", "viewer"]),
            Route(method: .get, path: "/v1/audit", permission: "Project > Audit > Read", allowed: ["admin", "developer", "viewer"]),
        ]
        for collection in ["addons", "external-addons"] {
            routes += [
                Route(method: .get, path: "\(p)/\(collection)", permission: addonsRead, allowed: allReaders),
                Route(
                    method: .post,
                    path: "\(p)/\(collection)",
                    body: #"{"name": "New Addon", "type": "redis", "credentials": {"HOST": "h"}}"#,
                    permission: addonsManage,
                    allowed: writers
                ),
                Route(method: .get, path: "\(p)/\(collection)/orders-db", permission: addonsRead, allowed: allReaders),
                Route(
                    method: .get,
                    path: "\(p)/\(collection)/orders-db/credentials",
                    permission: addonsRead,
                    allowed: writers,
                    exceptions: ["viewer": .forbidden(general), "config-editor": .forbidden(general)]
                ),
                Route(method: .patch, path: "\(p)/\(collection)/orders-db", body: #"{"version": "8"}"#, permission: addonsManage, allowed: writers),
                Route(method: .delete, path: "\(p)/\(collection)/spare", permission: addonsManage, allowed: writers),
            ]
        }
        for (collection, own, other, readPermission, updatePermission) in [
            ("services", "api", "web", servicesRead, servicesUpdate), ("jobs", "build", "nightly", jobsRead, jobsUpdate),
        ] {
            let ownReads: Set<String> = collection == "services" ? workloadReads : allReaders
            let ownExceptions: [String: Expectation] = collection == "services" ? [:] : otherWorkload
            routes += [
                Route(method: .get, path: "\(p)/\(collection)", permission: readPermission, allowed: allReaders, exceptions: otherWorkload),
                Route(method: .post, path: "\(p)/\(collection)", body: #"{"name": "New Thing"}"#, permission: updatePermission, allowed: writers),
                Route(method: .get, path: "\(p)/\(collection)/\(own)", permission: readPermission, allowed: ownReads, exceptions: ownExceptions),
                Route(method: .get, path: "\(p)/\(collection)/\(other)", permission: readPermission, allowed: allReaders, exceptions: otherWorkload),
                Route(
                    method: .patch,
                    path: "\(p)/\(collection)/\(own)",
                    body: #"{"tags": ["edge"]}"#,
                    permission: updatePermission,
                    allowed: writers
                ),
                Route(method: .delete, path: "\(p)/\(collection)/\(other)", permission: updatePermission, allowed: writers),
            ]
            for phase in ["runtime-environment", "build-arguments"] {
                let setBody = phase == "runtime-environment" ? #"{"runtimeEnvironment": {"A": "1"}}"# : #"{"buildArguments": {"A": "1"}}"#
                routes += [
                    Route(
                        method: .get,
                        path: "\(p)/\(collection)/\(own)/\(phase)",
                        permission: readPermission,
                        allowed: ownReads,
                        exceptions: ownExceptions
                    ),
                    Route(
                        method: .get,
                        path: "\(p)/\(collection)/\(own)/\(phase)/details",
                        permission: readPermission,
                        allowed: ownReads,
                        exceptions: ownExceptions
                    ),
                    Route(
                        method: .get,
                        path: "\(p)/\(collection)/\(other)/\(phase)",
                        permission: readPermission,
                        allowed: allReaders,
                        exceptions: otherWorkload
                    ),
                    Route(method: .post, path: "\(p)/\(collection)/\(own)/\(phase)", body: setBody, permission: updatePermission, allowed: writers),
                ]
            }
        }
        return routes
    }()

    /// A project with one group of each type, an addon linked from the config group, a spare addon, two services,
    /// two jobs, a second project, and one token per role (the workload token reads service `api`).
    static func seeded() async throws -> (ServerFixture, [String: String]) {
        let fixture = try await ServerFixture.memory()
        let store = fixture.store
        _ = try await store.createProject(ProjectDefinition(name: "Other"), team: Team.defaultTeamID, at: .now())
        try await fixture.application().test(.router) { client in
            let setup: [(HTTPRequest.Method, String, String)] = [
                (.put, "/v1/projects/demo/secrets", secretBody.replacingOccurrences(of: "Secret New", with: "Secret Group")),
                (.put, "/v1/projects/demo/secrets", configBody.replacingOccurrences(of: "Config New", with: "Config Group")),
                (.post, "/v1/projects/demo/addons", #"{"name": "Orders DB", "type": "postgresql", "credentials": {"HOST": "db.internal"}}"#),
                (.post, "/v1/projects/demo/addons", #"{"name": "spare", "type": "redis", "credentials": {"HOST": "r"}}"#),
                (.post, "/v1/projects/demo/external-addons", #"{"name": "Orders DB", "type": "postgresql", "credentials": {"HOST": "x"}}"#),
                (.post, "/v1/projects/demo/external-addons", #"{"name": "spare", "type": "redis", "credentials": {"HOST": "r"}}"#),
                (.post, "/v1/projects/demo/secrets/config-group/addons/orders-db", linkBody),
                (.post, "/v1/projects/demo/services", #"{"name": "api"}"#),
                (.post, "/v1/projects/demo/services", #"{"name": "web"}"#),
                (.post, "/v1/projects/demo/jobs", #"{"name": "build"}"#),
                (.post, "/v1/projects/demo/jobs", #"{"name": "nightly"}"#),
                (.put, "/v1/projects/demo/secrets", configBody.replacingOccurrences(of: "Config New", with: "Gone Config")),
                (.delete, "/v1/projects/demo/secrets/gone-config", ""),
                (.put, "/v1/projects/demo/secrets", secretBody.replacingOccurrences(of: "Secret New", with: "Gone Secret")),
                (.delete, "/v1/projects/demo/secrets/gone-secret", ""),
            ]
            for (method, path, body) in setup {
                let response = try await client.send(method, path, json: body)
                #expect(response.status == .ok, "\(method) \(path): \(response.text)")
            }
        }
        var tokens: [String: String] = ["admin": ServerFixture.adminToken]
        let issuer = TokenIssuer(store: store)
        for role in roles where role != "admin" {
            let workload = role == "workload" ? WorkloadReference(projectId: "demo", kind: .service, id: "api") : nil
            let definition = TokenDefinition(name: "\(role) token", role: Role.builtIn[role]!, workload: workload)
            tokens[role] = try await issuer.issue(definition, team: Team.defaultTeamID, at: .now()).secret
        }
        try await store.createToken(
            Token(
                id: "tok-spare",
                teamId: Team.defaultTeamID,
                name: "spare",
                secretHash: Data(repeating: 7, count: 32),
                roleName: "viewer",
                createdAt: .now()
            )
        )
        return (fixture, tokens)
    }

    @Test(arguments: routes)
    func everyRoleGetsItsAnswer(route: Route) async throws {
        for role in Self.roles {
            // A fresh project per role: allowed writes and deletes must not change what the next role sees.
            let (fixture, tokens) = try await Self.seeded()
            try await fixture.application().test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(tokens[role]!)", .contentType: "application/json"]
                let response = try await client.send(route.method, route.path, json: route.body, headers: headers)
                let message = try response.error["message"] as? String
                switch route.expectation(for: role) {
                case .allowed:
                    #expect(response.status == .ok, "\(role): \(response.text)")
                case .forbidden(let permission):
                    #expect(response.status == .forbidden, "\(role)")
                    #expect(
                        message
                            == "The token used to authenticate does not have permission to access this endpoint. The required permission is '\(permission)'.",
                        "\(role)"
                    )
                case .outsideWorkload:
                    #expect(response.status == .forbidden, "\(role)")
                    #expect(message == "The token used to authenticate is limited to service 'api' of project 'demo'", "\(role)")
                }
            }
        }
    }

    @Test func everyRoleIsCoveredAndRolesAreExactlyTheseFive() {
        #expect(Set(Role.all.map(\.name)) == Set(Self.roles))
        #expect(Self.routes.count >= 60)
    }
}
