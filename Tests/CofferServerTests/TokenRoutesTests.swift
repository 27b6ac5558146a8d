import CofferCore
import CofferCrypto
import CofferServer
import CofferStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/v1/tokens`, token limits and expiry, and values withheld from callers without the value permission.
@Suite struct TokenRoutesTests {
    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    static func issue(_ fixture: ServerFixture, _ definition: TokenDefinition) async throws -> String {
        try await TokenIssuer(store: fixture.store).issue(definition, team: Team.defaultTeamID, at: .now()).secret
    }

    @Test func createdTokenWorksOnceShownIsListedWithoutItsTextAndStopsWorkingWhenRevoked() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let created = try await client.send(.post, "/v1/tokens", json: #"{"name": "ci deploy", "role": "developer", "projects": ["demo"]}"#)
            #expect(created.status == .ok)
            let secret = try #require(try created.data["secret"] as? String)
            let token = try #require(try created.data["token"] as? [String: Any])
            let id = try #require(token["id"] as? String)
            #expect(secret.hasPrefix("coffer_") && secret.count == 50)
            #expect(token["role"] as? String == "developer")
            #expect(token["projects"] as? [String] == ["demo"])
            #expect(token["status"] as? String == "active")

            #expect(try await client.send(.get, "/v1/projects/demo/secrets", headers: Self.bearer(secret)).status == .ok)
            let listed = try await client.send(.get, "/v1/tokens").text
            #expect(listed.contains(id) && !listed.contains(secret))

            let revoked = try await client.send(.delete, "/v1/tokens/\(id)")
            #expect(try revoked.data["status"] as? String == "revoked")
            let refused = try await client.send(.get, "/v1/projects/demo/secrets", headers: Self.bearer(secret))
            #expect(refused.status == .unauthorized)
            #expect(try refused.error["message"] as? String == "The token used to authenticate is not valid")
            #expect(try await client.send(.delete, "/v1/tokens/tok-nothere").status == .notFound)
        }
    }

    @Test func tokenBodiesAreValidatedWithEveryRuleNamed() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let bad = try await client.send(
                .post,
                "/v1/tokens",
                json: #"{"name": "x", "role": "root", "projects": [], "expiresAt": "tomorrow", "extra": 1}"#
            )
            #expect(bad.status == .badRequest)
            let details = try #require(try bad.error["details"] as? [String: [String]])
            #expect(details["name"] == ["must be at least 3 characters long"])
            #expect(details["role"] == ["must be one of: admin, developer, viewer, config-editor, workload"])
            #expect(details["projects"] == ["must list at least one project"])
            #expect(details["expiresAt"] == ["must be an RFC 3339 timestamp such as 2026-12-31T00:00:00.000Z"])
            #expect(details["extra"] == ["is not a known field"])

            let workloadless = try await client.send(.post, "/v1/tokens", json: #"{"name": "runner", "role": "workload"}"#)
            #expect(try workloadless.error["details"] as? [String: [String]] == ["workload": ["is required for the workload role"]])
            let past = try await client.send(
                .post,
                "/v1/tokens",
                json: #"{"name": "old", "role": "viewer", "expiresAt": "2020-01-01T00:00:00.000Z"}"#
            )
            #expect(try past.error["details"] as? [String: [String]] == ["expiresAt": ["must be in the future"]])
            let missing = try await client.send(
                .post,
                "/v1/tokens",
                json: #"{"name": "runner", "role": "workload", "workload": {"projectId": "demo", "kind": "service", "id": "ghost"}}"#
            )
            #expect(
                try missing.error["details"] as? [String: [String]] == [
                    "workload": ["names service 'ghost' of project 'demo', which does not exist"]
                ]
            )
            let unknownProject = try await client.send(.post, "/v1/tokens", json: #"{"name": "limited", "role": "viewer", "projects": ["nope"]}"#)
            #expect(try unknownProject.error["details"] as? [String: [String]] == ["projects[0]": ["names project 'nope', which does not exist"]])
        }
    }

    @Test func aRevocationMadeOnTheStoreTakesEffectWithinTheTokenCacheLifetime() async throws {
        var fixture = try await ServerFixture.memory()
        fixture.configuration.tokenCacheLifetime = .seconds(2)
        let (token, secret) = try await TokenIssuer(store: fixture.store).issue(
            TokenDefinition(name: "cached", role: .viewer),
            team: Team.defaultTeamID,
            at: .now()
        )
        let store = fixture.store
        try await fixture.application().test(.router) { client in
            #expect(try await client.send(.get, "/v1/projects", headers: Self.bearer(secret)).status == .ok)
            // As `coffer token revoke` on the store, or another replica, would: this server is not told.
            _ = try await store.revokeToken(id: token.id, team: Team.defaultTeamID, at: .now())
            #expect(try await client.send(.get, "/v1/projects", headers: Self.bearer(secret)).status == .ok, "still cached")
            try await Task.sleep(for: .milliseconds(2_100))
            #expect(try await client.send(.get, "/v1/projects", headers: Self.bearer(secret)).status == .unauthorized)
        }
    }

    @Test func expiredTokensAreRefusedLikeUnknownOnes() async throws {
        let fixture = try await ServerFixture.memory()
        let secret = "coffer_expired-token-0123456789abcdefghijklmnopq"
        let past = Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch - 1000)
        try await fixture.store.createToken(
            Token(
                id: "tok-old",
                teamId: Team.defaultTeamID,
                name: "old",
                secretHash: TokenSecret.hash(secret),
                roleName: "admin",
                createdAt: past,
                expiresAt: past
            )
        )
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.get, "/v1/projects", headers: Self.bearer(secret))
            #expect(response.status == .unauthorized)
            let listed = try await client.send(.get, "/v1/tokens/tok-old")
            #expect(try listed.data["status"] as? String == "expired")
        }
    }

    @Test func projectLimitedTokensSeeOnlyTheirProjectsAndCannotCreateOthers() async throws {
        let fixture = try await ServerFixture.memory()
        _ = try await fixture.store.createProject(ProjectDefinition(name: "Other"), team: Team.defaultTeamID, at: .now())
        let limited = try await Self.issue(fixture, TokenDefinition(name: "limited", role: .developer, projectIds: ["demo"]))
        try await fixture.application().test(.router) { client in
            let headers = Self.bearer(limited)
            let projects = try await client.send(.get, "/v1/projects", headers: headers).data["projects"] as? [[String: Any]]
            #expect(projects?.map { $0["id"] as? String } == ["demo"])
            #expect(try await client.send(.get, "/v1/projects/demo/secrets", headers: headers).status == .ok)
            for path in ["/v1/projects/other/secrets", "/v1/projects/other", "/v1/projects/ghost/secrets"] {
                let refused = try await client.send(.get, path, headers: headers)
                #expect(refused.status == .forbidden, "\(path)")
                #expect(try refused.error["message"] as? String == "The token used to authenticate is limited to the projects 'demo'")
            }
            #expect(try await client.send(.post, "/v1/projects", json: #"{"name": "Third"}"#, headers: headers).status == .forbidden)
        }
    }

    @Test func teamRoutesRefuseOtherTeamsAndOtherTeamsProjectsAreNotFound() async throws {
        let fixture = try await ServerFixture.memory()
        let now = Timestamp.now()
        let outsider = "coffer_outsider-token-0123456789abcdefghijklmnop"
        try await fixture.store.bootstrap(
            team: Team(id: "acme", name: "Acme", createdAt: now),
            token: Token(
                id: "tok-acme",
                teamId: "acme",
                name: "acme admin",
                secretHash: TokenSecret.hash(outsider),
                roleName: "admin",
                createdAt: now
            )
        )
        try await fixture.application().test(.router) { client in
            #expect(try await client.send(.get, "/v1/teams/default/projects/demo/secrets").status == .ok)
            let otherTeam = try await client.send(.get, "/v1/teams/acme/projects/demo/secrets")
            #expect(otherTeam.status == .forbidden)
            #expect(try otherTeam.error["message"] as? String == "The token used to authenticate does not belong to team 'acme'")
            let crossTeam = try await client.send(.get, "/v1/projects/demo/secrets", headers: Self.bearer(outsider))
            #expect(crossTeam.status == .notFound)
            #expect(try await client.send(.get, "/v1/tokens", headers: Self.bearer(outsider)).text.contains("tok-acme"))
            #expect(try await !client.send(.get, "/v1/tokens", headers: Self.bearer(outsider)).text.contains("admin-"))
        }
    }

    @Test func valuesAreNullWithoutThePermissionForTheGroupsType() async throws {
        let (fixture, tokens) = try await PermissionMatrixTests.seeded()
        try await fixture.application().test(.router) { client in
            func variables(_ group: String, as role: String) async throws -> [String: Any]? {
                let data = try await client.send(.get, "/v1/projects/demo/secrets/\(group)?show=this", headers: Self.bearer(tokens[role]!)).data
                return (data["secrets"] as? [String: Any])?["variables"] as? [String: Any]
            }
            #expect(try await variables("secret-group", as: "admin") as? [String: String] == ["K": "v"])
            #expect(try await variables("secret-group", as: "viewer")?["K"] is NSNull)
            #expect(try await variables("secret-group", as: "config-editor")?["K"] is NSNull)
            #expect(try await variables("config-group", as: "config-editor") as? [String: String] == ["K": "v"])
            #expect(try await variables("config-group", as: "viewer")?["K"] is NSNull)

            let addon = try await client.send(.get, "/v1/projects/demo/addons/orders-db", headers: Self.bearer(tokens["viewer"]!)).data
            #expect((addon["credentials"] as? [String: Any])?["HOST"] is NSNull)
            let details = try await client.send(.get, "/v1/projects/demo/secrets/config-group/details", headers: Self.bearer(tokens["viewer"]!))
            #expect(!details.text.contains("db.internal"))
            #expect(details.text.contains("HOST"))
        }
    }

    @Test func workloadEnvironmentsShowInheritedValuesOnlyToTokensThatReadEveryType() async throws {
        let (fixture, tokens) = try await PermissionMatrixTests.seeded()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.post, "/v1/projects/demo/services/api/runtime-environment", json: #"{"runtimeEnvironment": {"OWN": "1"}}"#)
            func environment(as role: String) async throws -> [String: String]? {
                let data = try await client.send(.get, "/v1/projects/demo/services/api/runtime-environment", headers: Self.bearer(tokens[role]!)).data
                return data["runtimeEnvironment"] as? [String: String]
            }
            let full = try await environment(as: "workload")
            #expect(full?["OWN"] == "1" && full?["K"] != nil && full?["NF_ORDERS-DB_HOST"] == "db.internal")
            #expect(try await environment(as: "developer") == full)
            #expect(try await environment(as: "viewer") == ["OWN": "1"])
            #expect(try await environment(as: "config-editor") == ["OWN": "1"])
        }
    }
}
