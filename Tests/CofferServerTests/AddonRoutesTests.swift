import CofferServer
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Addons, external addons and the links groups make to them, through the real server.
@Suite struct AddonRoutesTests {
    static let mongo = #"{"name": "Example Addon", "type": "mongodb", "version": "7.0", "credentials": {"USERNAME": "admin", "PASSWORD": "pw1"}}"#

    @Test func showSeparatesOwnAndInheritedValuesAndCredentialChangesReachLinkingGroupsAtOnce() async throws {
        let fixture = try await ServerFixture.sqlite()
        try await fixture.application().test(.live) { client in
            #expect(try await client.send(.post, "/v1/projects/demo/addons", json: Self.mongo).status == .ok)
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)

            func variables(_ show: String) async throws -> [String: String]? {
                let group = try await client.send(.get, "/v1/projects/demo/secrets/example-secret?show=\(show)").data
                return (group["secrets"] as? [String: Any])?["variables"] as? [String: String]
            }
            let own = ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"]
            let inherited = ["NF_EXAMPLE-ADDON_USERNAME": "admin", "MONGO_USERNAME": "admin"]
            #expect(try await variables("this") == own)
            #expect(try await variables("inherited") == inherited)
            #expect(try await variables("all") == own.merging(inherited) { a, _ in a })
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/example-secret?show=some").status == .badRequest)

            let rotated = try await client.send(.patch, "/v1/projects/demo/addons/example-addon", json: #"{"credentials": {"USERNAME": "root"}}"#)
            #expect(rotated.status == .ok)
            #expect(try rotated.data["availableKeys"] as? [String] == ["USERNAME"])
            #expect(try await variables("inherited") == ["NF_EXAMPLE-ADDON_USERNAME": "root", "MONGO_USERNAME": "root"])
        }
    }

    @Test func ownVariablesWinOverLinkedKeysOfTheSameName() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.post, "/v1/projects/demo/addons", json: Self.mongo)
            let body = ReferenceBody.json.replacing(#""NODE_ENV": "production""#, #""NODE_ENV": "production", "MONGO_USERNAME": "mine""#)
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: body)
            let group = try await client.send(.get, "/v1/projects/demo/secrets/example-secret").data
            let variables = (group["secrets"] as? [String: Any])?["variables"] as? [String: String]
            #expect(variables?["MONGO_USERNAME"] == "mine")
            #expect(variables?["NF_EXAMPLE-ADDON_USERNAME"] == "admin")
        }
    }

    @Test func detailsListEachAddonsContributionAndWarnAboutMissingOnes() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let before = try await client.send(.get, "/v1/projects/demo/secrets/example-secret/details").data
            #expect((before["addonSecrets"] as? [Any])?.isEmpty == true)
            #expect(
                before["warnings"] as? [String] == [
                    "Addon 'example-addon' is linked but does not exist (yet); it contributes nothing",
                    "External addon 'example-addon' is linked but does not exist (yet); it contributes nothing",
                ]
            )
            _ = try await client.send(.post, "/v1/projects/demo/addons", json: Self.mongo)
            let after = try await client.send(.get, "/v1/projects/demo/secrets/example-secret/details").data
            let addonSecrets = try #require(after["addonSecrets"] as? [[String: Any]])
            #expect(addonSecrets.count == 1)
            #expect(addonSecrets.first?["id"] as? String == "example-addon")
            #expect(addonSecrets.first?["addonType"] as? String == "mongodb")
            #expect(addonSecrets.first?["version"] as? String == "7.0")
            #expect(addonSecrets.first?["variables"] as? [String: String] == ["NF_EXAMPLE-ADDON_USERNAME": "admin"])
            #expect(after["name"] as? String == "Example Secret")
        }
    }

    @Test func linksAreReadReplacedAndRemoved() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            #expect(try await client.send(.get, "/v1/projects/demo/secrets/example-secret/addons/cache").status == .notFound)
            let early = try await client.send(
                .post,
                "/v1/projects/demo/secrets/example-secret/addons/cache",
                json: #"{"keys": [{"keyName": "HOST"}]}"#
            )
            #expect(early.status == .ok, "a link to an addon that does not exist yet is accepted")
            let earlyKey = try #require(try (early.data["keys"] as? [[String: Any]])?.first)
            #expect(earlyKey["keyName"] as? String == "HOST" && earlyKey["aliases"] as? [String] == [])
            #expect(earlyKey["defaultKey"] as? String == "NF_CACHE_HOST")

            _ = try await client.send(
                .post,
                "/v1/projects/demo/addons",
                json: #"{"name": "Cache", "type": "redis", "credentials": {"HOST": "h", "PORT": 6379}}"#
            )
            let link = try await client.send(.get, "/v1/projects/demo/secrets/example-secret/addons/cache").data
            #expect(link["secretId"] as? String == "example-secret" && link["secretName"] as? String == "Example Secret")
            #expect(link["addonName"] as? String == "Cache" && link["addonType"] as? String == "redis")
            #expect(link["linked"] as? Bool == true)
            #expect(link["availableKeys"] as? [String] == ["HOST", "PORT"])

            let replaced = try await client.send(
                .post,
                "/v1/projects/demo/secrets/example-secret/addons/cache",
                json: #"{"keys": [{"keyName": "PORT", "aliases": ["REDIS_PORT"]}]}"#
            )
            #expect(try (replaced.data["keys"] as? [[String: Any]])?.first?["defaultKey"] as? String == "NF_CACHE_PORT")
            let group = try await client.send(.get, "/v1/projects/demo/secrets/example-secret?show=inherited").data
            #expect((group["secrets"] as? [String: Any])?["variables"] as? [String: String] == ["NF_CACHE_PORT": "6379", "REDIS_PORT": "6379"])

            #expect(try await client.send(.delete, "/v1/projects/demo/secrets/example-secret/addons/cache").status == .ok)
            let unlinked = try await client.send(.get, "/v1/projects/demo/secrets/example-secret/addons/cache").data
            #expect(unlinked["linked"] as? Bool == false && unlinked["linkedKeys"] == nil)
            #expect(try await client.send(.delete, "/v1/projects/demo/secrets/example-secret/addons/cache").status == .notFound)
            let bad = try await client.send(.post, "/v1/projects/demo/secrets/example-secret/addons/cache", json: #"{"keys": [{"keyName": "123"}]}"#)
            #expect(try (bad.error["details"] as? [String: [String]])?["keys[0].keyName"] == ["must match [a-zA-Z]+"])
        }
    }

    @Test func addonsAndExternalAddonsHaveTheirOwnRoutesAndDeletingALinkedOneIs409() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let created = try await client.send(
                .post,
                "/v1/projects/demo/external-addons",
                json: #"{"name": "Example Addon", "type": "s3", "credentials": {"USERNAME": "k"}}"#
            )
            #expect(created.status == .ok)
            #expect(try created.data["credentials"] as? [String: String] == ["USERNAME": "k"])
            let list = try await client.send(.get, "/v1/teams/default/projects/demo/external-addons")
            let addons = try #require(try list.data["externalAddons"] as? [[String: Any]])
            #expect(addons.first?["id"] as? String == "example-addon" && addons.first?["credentials"] == nil)
            #expect(try await client.send(.get, "/v1/projects/demo/addons/example-addon").status == .notFound)
            let credentials = try await client.send(.get, "/v1/projects/demo/external-addons/example-addon/credentials").data
            #expect(credentials["secrets"] as? [String: String] == ["USERNAME": "k"] && credentials["envs"] as? [String: String] == [:])
            #expect(
                try await client.send(.post, "/v1/projects/demo/external-addons", json: #"{"name": "example addon", "type": "s3"}"#).status
                    == .conflict
            )
            let invalid = try await client.send(.post, "/v1/projects/demo/addons", json: #"{"name": "x", "credentials": {"A": null}}"#)
            #expect(try (invalid.error["details"] as? [String: [String]])?.keys.sorted() == ["credentials.A", "name", "type"])

            _ = try await client.send(.put, "/v1/projects/demo/secrets", json: ReferenceBody.json)
            let refused = try await client.send(.delete, "/v1/projects/demo/external-addons/example-addon")
            #expect(refused.status == .conflict)
            #expect(
                try refused.error["message"] as? String
                    == "External addon 'example-addon' is linked by secret groups 'example-secret'; remove the links first"
            )
            _ = try await client.send(.patch, "/v1/projects/demo/secrets/example-secret", json: #"{"externalAddonDependencies": []}"#)
            #expect(try await client.send(.delete, "/v1/projects/demo/external-addons/example-addon").status == .ok)
            #expect(try await client.send(.get, "/v1/projects/demo/external-addons/example-addon").status == .notFound)
        }
    }
}
