import CofferCore
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Section 10 of the contract over a real socket: versions, a version's content, diff, rollback, restore, and a
/// project at a moment and put back to it; values withheld as a plain GET withholds them; bad input refused.
@Suite struct HistoryRoutesTests {
    static let group = "/v1/projects/demo/secrets/example-secret"

    static func versions(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try response.data["versions"] as? [[String: Any]])
    }

    static func token(role: Role, in fixture: ServerFixture) async throws -> HTTPFields {
        let issued = try await TokenIssuer(store: fixture.store).issue(TokenDefinition(name: "\(role.name) token", role: role), team: Team.defaultTeamID, at: .now())
        return [.authorization: "Bearer \(issued.secret)", .contentType: "application/json"]
    }

    @Test func versionsDiffRollbackAndRestoreOfOneGroup() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            #expect(try await client.send(.patch, Self.group, json: #"{"priority": 20}"#).status == .ok)
            let changed = ReferenceBody.json.replacing(#""NODE_ENV": "production""#, #""NODE_ENV": "staging", "ADDED": "1""#)
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: changed).headers[.eTag] == "\"3\"")

            let listed = try await client.send(.get, "\(Self.group)/versions")
            #expect(listed.status == .ok)
            let versions = try Self.versions(listed)
            #expect(versions.map { $0["version"] as? Int } == [3, 2, 1])
            #expect(versions.map { $0["action"] as? String } == ["update", "update", "create"])
            #expect(versions.map { $0["current"] as? Bool } == [true, false, false])
            #expect(versions[0]["changedKeys"] as? [String] == ["ADDED", "NODE_ENV"])
            #expect(versions[1]["changedFields"] as? [String] == ["priority"])
            #expect((versions[0]["actor"] as? String)?.hasPrefix("admin-") == true)
            #expect(!listed.text.contains("staging") && !listed.text.contains("production"), "no values in the list")
            // The team form answers the same.
            let teamForm = try await client.send(.get, "/v1/teams/default/projects/demo/secrets/example-secret/versions")
            #expect(try Self.versions(teamForm).count == 3)

            let first = try await client.send(.get, "\(Self.group)/versions/1")
            #expect(first.status == .ok && first.headers[.eTag] == "\"1\"")
            #expect(try first.data["version"] as? Int == 1 && first.data["priority"] as? Int == 10)
            #expect((try first.data["secrets"] as? [String: Any])?["variables"] as? [String: String] == [
                "NODE_ENV": "production", "MONGO_DB": "some_connection_string",
            ])

            let diff = try await client.send(.get, "\(Self.group)/diff?from=1")
            #expect(try diff.data["from"] as? Int == 1 && diff.data["to"] as? Int == 3)
            // The PUT of version 3 set priority back to the reference body's 10, so against version 1 only values differ.
            #expect(try diff.data["fields"] as? [String] == [])
            let variables = try #require(try diff.data["variables"] as? [String: [Any]])
            #expect(variables["added"] as? [String] == ["ADDED"] && variables["changed"] as? [String] == ["NODE_ENV"])
            #expect(variables["removed"]?.isEmpty == true)
            #expect(!diff.text.contains("staging"), "names only without showValues")
            let shown = try await client.send(.get, "\(Self.group)/diff?from=1&to=3&showValues=true")
            let changedEntries = (try shown.data["variables"] as? [String: Any])?["changed"] as? [[String: String]]
            #expect(changedEntries == [["key": "NODE_ENV", "from": "production", "to": "staging"]])
            // By default: the newest version against the one before (the PATCH's priority 20, back to 10).
            #expect(try await client.send(.get, "\(Self.group)/diff").data["fields"] as? [String] == ["priority"])

            var ifMatch = HTTPFields.admin
            ifMatch[.ifMatch] = "\"3\""
            let rolledBack = try await client.send(.post, "\(Self.group)/rollback", json: #"{"version": 1}"#, headers: ifMatch)
            #expect(rolledBack.status == .ok && rolledBack.headers[.eTag] == "\"4\"")
            #expect(try rolledBack.data["priority"] as? Int == 10)
            let current = try await client.send(.get, Self.group)
            #expect((try current.data["secrets"] as? [String: Any])?["variables"] as? [String: String] == [
                "NODE_ENV": "production", "MONGO_DB": "some_connection_string",
            ])
            // The same If-Match again is stale now: 412, nothing changes.
            #expect(try await client.send(.post, "\(Self.group)/rollback", json: #"{"version": 3}"#, headers: ifMatch).status == .preconditionFailed)
            // Back to the content it has: a no-op, no new version.
            #expect(try await client.send(.post, "\(Self.group)/rollback", json: #"{"version": 1}"#).headers[.eTag] == "\"4\"")
            #expect(try Self.versions(try await client.send(.get, "\(Self.group)/versions")).first?["action"] as? String == "rollback")

            #expect(try await client.send(.delete, Self.group).status == .ok)
            let deletion = try await client.send(.get, "\(Self.group)/versions/5")
            #expect(deletion.status == .notFound)
            #expect(try deletion.error["message"] as? String == "Version 5 of secret 'example-secret' records its deletion and has no content")
            #expect(try Self.versions(try await client.send(.get, "\(Self.group)/versions")).first?["current"] as? Bool == false)
            let restored = try await client.send(.post, "\(Self.group)/restore")
            #expect(restored.status == .ok && restored.headers[.eTag] == "\"6\"")
            let again = try await client.send(.post, "\(Self.group)/restore")
            #expect(again.status == .conflict)
            #expect(try again.error["message"] as? String == "Secret 'example-secret' exists; only a deleted secret can be restored")

            let audit = try await client.send(.get, "/v1/projects/demo/audit?resourceType=secret").data["entries"] as? [[String: Any]]
            #expect(audit?.map { $0["version"] as? Int } == [1, 2, 3, 4, 5, 6])
            #expect(audit?.map { $0["action"] as? String } == ["create", "update", "update", "rollback", "delete", "restore"])
        }
    }

    @Test func badInputIsRefusedWithTheEnvelopeAndChangesNothing() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String?)] = [
                (.get, "\(Self.group)/versions/abc", nil, .badRequest, "version"),
                (.get, "\(Self.group)/versions/0", nil, .badRequest, "version"),
                (.get, "\(Self.group)/versions/99", nil, .notFound, nil),
                (.get, "\(Self.group)/versions?cursor=%%%", nil, .badRequest, "cursor"),
                (.get, "/v1/projects/demo/secrets/never-was/versions", nil, .notFound, nil),
                (.get, "\(Self.group)/diff?from=2&to=1", nil, .badRequest, "from"),
                (.get, "\(Self.group)/diff?from=x", nil, .badRequest, "from"),
                (.get, "\(Self.group)/diff?to=-1", nil, .badRequest, "to"),
                (.get, "\(Self.group)/diff?showValues=yes", nil, .badRequest, "showValues"),
                (.get, "\(Self.group)/diff?from=1&to=7", nil, .notFound, nil),
                (.post, "\(Self.group)/rollback", #"{"version": "1"}"#, .badRequest, "version"),
                (.post, "\(Self.group)/rollback", #"{"version": 1.5}"#, .badRequest, "version"),
                (.post, "\(Self.group)/rollback", #"{}"#, .badRequest, "version"),
                (.post, "\(Self.group)/rollback", #"{"version": 1, "force": true}"#, .badRequest, "force"),
                (.post, "\(Self.group)/rollback", #"{"version": 42}"#, .notFound, nil),
                (.post, "/v1/projects/demo/secrets/never-was/rollback", #"{"version": 1}"#, .notFound, nil),
                (.post, "/v1/projects/demo/secrets/never-was/restore", nil, .notFound, nil),
                (.get, "/v1/projects/demo/secrets?asOf=yesterday", nil, .badRequest, "asOf"),
                (.get, "/v1/projects/demo/secrets?asOf=2999-01-01T00:00:00.000Z", nil, .badRequest, "asOf"),
                (.get, "/v1/projects/demo/secrets?asOf=2001-01-01T00:00:00.000Z", nil, .badRequest, "asOf"),
                (.post, "/v1/projects/demo/restore", #"{"asOf": "2999-01-01T00:00:00.000Z"}"#, .badRequest, "asOf"),
                (.post, "/v1/projects/demo/restore", #"{"asOf": "2001-01-01T00:00:00.000Z", "dryRun": true}"#, .badRequest, "asOf"),
                (.post, "/v1/projects/demo/restore", #"{"asOf": 12, "dryRun": "yes"}"#, .badRequest, "dryRun"),
                (.post, "/v1/projects/demo/restore", #"{"dryRun": true}"#, .badRequest, "asOf"),
                (.post, "/v1/projects/nowhere/restore", #"{"asOf": "2026-01-01T00:00:00.000Z"}"#, .notFound, nil),
            ]
            for (method, path, body, status, field) in cases {
                let response = try await client.send(method, path, json: body ?? "")
                #expect(response.status == status, "\(method) \(path): \(response.text)")
                #expect(try response.error["status"] as? Int == Int(status.code), "\(path)")
                if let field {
                    #expect((try response.error["details"] as? [String: Any])?[field] != nil, "\(path) names \(field): \(response.text)")
                }
            }
            #expect(try await client.send(.get, "\(Self.group)/versions/99").error["message"] as? String == "Version 99 of secret 'example-secret' not found")
            #expect(try Self.versions(try await client.send(.get, "\(Self.group)/versions")).count == 1, "nothing changed")
            #expect(try await client.send(.get, Self.group).headers[.eTag] == "\"1\"")
        }
    }

    @Test func valuesAreWithheldAsInAPlainGetAndShowingThemNeedsTheValuePermission() async throws {
        let fixture = try await ServerFixture.memory()
        let viewer = try await Self.token(role: .viewer, in: fixture)
        let configEditor = try await Self.token(role: .configEditor, in: fixture)
        try await fixture.application().test(.router) { client in
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json).status == .ok)
            let version = try await client.send(.get, "\(Self.group)/versions/1", headers: viewer)
            #expect(version.status == .ok)
            #expect((try version.data["secrets"] as? [String: Any])?["variables"] as? [String: NSNull] == ["NODE_ENV": NSNull(), "MONGO_DB": NSNull()])
            #expect(!version.text.contains("production"))
            let shown = try await client.send(.get, "\(Self.group)/diff?showValues=true", headers: viewer)
            #expect(shown.status == .forbidden)
            #expect(try shown.error["message"] as? String == "The token used to authenticate does not have permission to access this endpoint. The required permission is 'Project > Secrets > General > Read'.")
            #expect(try await client.send(.get, "\(Self.group)/diff", headers: viewer).status == .ok)

            let restore = #"{"asOf": "\#(Timestamp.now().rfc3339)", "dryRun": true}"#
            let viewerRestore = try await client.send(.post, "/v1/projects/demo/restore", json: restore, headers: viewer)
            #expect(try viewerRestore.error["message"] as? String == "The token used to authenticate does not have permission to access this endpoint. The required permission is 'Project > Secrets > SecretGroups > Create'.")
            let editorRestore = try await client.send(.post, "/v1/projects/demo/restore", json: restore, headers: configEditor)
            #expect(try editorRestore.error["message"] as? String == "The token used to authenticate does not have permission to access this endpoint. The required permission is 'Project > Secrets > General > Read'.")
        }
    }

    @Test func aProjectIsListedAsOfAMomentAndPutBackToItInOneWrite() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            for name in ["Alpha", "Beta"] {
                #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json.replacing("Example Secret", name)).status == .ok)
            }
            try await Task.sleep(for: .milliseconds(10))
            let moment = Timestamp.now().rfc3339
            try await Task.sleep(for: .milliseconds(10))
            #expect(try await client.send(.patch, "/v1/projects/demo/secrets/alpha", json: #"{"priority": 99}"#).status == .ok)
            #expect(try await client.send(.delete, "/v1/projects/demo/secrets/beta").status == .ok)
            #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json.replacing("Example Secret", "Gamma")).status == .ok)

            let then = try await client.send(.get, "/v1/projects/demo/secrets?asOf=\(moment)")
            #expect((try then.data["secrets"] as? [[String: Any]])?.map { $0["id"] as? String } == ["alpha", "beta"])
            #expect((try then.data["secrets"] as? [[String: Any]])?.first?["priority"] as? Int == 10)
            let firstPage = try await client.send(.get, "/v1/projects/demo/secrets?asOf=\(moment)&per_page=1")
            let cursor = try #require((try firstPage.json["pagination"] as? [String: Any])?["cursor"] as? String)
            let secondPage = try await client.send(.get, "/v1/projects/demo/secrets?asOf=\(moment)&per_page=1&cursor=\(cursor)")
            #expect((try secondPage.data["secrets"] as? [[String: Any]])?.map { $0["id"] as? String } == ["beta"])

            let plan = try await client.send(.post, "/v1/projects/demo/restore", json: #"{"asOf": "\#(moment)", "dryRun": true}"#)
            #expect(try plan.status == .ok && plan.data["dryRun"] as? Bool == true)
            let steps = try #require(try plan.data["groups"] as? [[String: Any]])
            #expect(steps.map { $0["secretId"] as? String } == ["alpha", "beta", "gamma"])
            #expect(steps.map { $0["action"] as? String } == ["rollback", "restore", "delete"])
            #expect(steps[0]["changedFields"] as? [String] == ["priority"])
            #expect(!plan.text.contains("production"), "a plan names keys, never values")
            let unchanged = try await client.send(.get, "/v1/projects/demo/secrets").data["secrets"] as? [[String: Any]]
            #expect(unchanged?.map { $0["id"] as? String } == ["alpha", "gamma"], "a dry run changes nothing")

            let applied = try await client.send(.post, "/v1/projects/demo/restore", json: #"{"asOf": "\#(moment)"}"#)
            #expect(try applied.status == .ok && applied.data["dryRun"] as? Bool == false)
            let now = try await client.send(.get, "/v1/projects/demo/secrets").data["secrets"] as? [[String: Any]]
            #expect(now?.map { $0["id"] as? String } == ["alpha", "beta"])
            #expect(now?.map { $0["priority"] as? Int } == [10, 10])
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/gamma").status == .notFound)
        }
    }

    /// The server's own background sweep keeps `keepVersions` per group, while it serves.
    @Test func theServerDropsVersionsPastKeepVersionsInTheBackground() async throws {
        var fixture = try await ServerFixture.sqlite()
        fixture.configuration.keepVersions = 2
        fixture.configuration.historySweepInterval = .milliseconds(300)
        try await fixture.application().test(.live) { client in
            for value in 1...5 {
                let body = ReferenceBody.json.replacing(#""NODE_ENV": "production""#, #""NODE_ENV": "v\#(value)""#)
                #expect(try await client.send(.put, "/v1/projects/demo/secrets", json: body).status == .ok)
            }
            // Read (and so cached with the snapshot) before the sweep drops it, on any but a very slow machine.
            _ = try await client.send(.get, "\(Self.group)/versions/3")
            var kept: [Int?] = []
            for _ in 0..<100 {
                kept = try Self.versions(try await client.send(.get, "\(Self.group)/versions")).map { $0["version"] as? Int }
                if kept.count == 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(kept == [5, 4])
            #expect(try await client.send(.get, "\(Self.group)/versions/3").status == .notFound, "dropped, and not served from the cache")
            #expect(try await client.send(.get, Self.group).headers[.eTag] == "\"5\"")
        }
    }
}
