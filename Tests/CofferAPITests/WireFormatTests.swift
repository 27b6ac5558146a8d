import CofferAPI
import CofferCore
import Foundation
import Testing

/// The JSON shapes clients depend on: member names, timestamps, base64 files, and omitted optionals.
@Suite struct WireFormatTests {
    static let group = SecretGroup(
        projectId: "demo",
        definition: SecretGroupDefinition(
            name: "Example Secret",
            secretType: .environment,
            priority: 10,
            secrets: SecretValues(variables: ["NODE_ENV": "production"], files: ["/dir/f": SecretFile(data: Data("hi".utf8))])
        ),
        version: 3,
        createdAt: Timestamp(millisecondsSinceEpoch: 1_795_885_200_000),
        updatedAt: Timestamp(millisecondsSinceEpoch: 1_795_885_200_123)
    )

    func object(_ value: some Encodable) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
    }

    @Test func groupResourceUsesTheReferenceMemberNames() throws {
        let json = try object(SecretGroupResource(Self.group))
        #expect(
            Set(json.keys) == [
                "id", "projectId", "name", "type", "secretType", "priority", "tags", "restrictions", "addonDependencies",
                "externalAddonDependencies", "secrets", "createdAt", "updatedAt",
            ]
        )
        #expect(json["id"] as? String == "example-secret")
        #expect(json["createdAt"] as? String == "2026-11-28T17:00:00.000Z")
        #expect(json["updatedAt"] as? String == "2026-11-28T17:00:00.123Z")
        let files = (json["secrets"] as? [String: Any])?["files"] as? [String: [String: String]]
        #expect(files?["/dir/f"] == ["data": "aGk=", "encoding": "utf-8"])
        #expect((json["restrictions"] as? [String: Any])?["tagMatchCondition"] as? String == "or")
    }

    @Test func groupResourceRoundTripsThroughCodable() throws {
        let resource = SecretGroupResource(Self.group)
        let decoded = try JSONDecoder().decode(SecretGroupResource.self, from: JSONEncoder().encode(resource))
        #expect(decoded == resource)
    }

    @Test func detailsFlattenTheGroupBesideAddonSecrets() throws {
        let details = SecretGroupDetails(
            group: SecretGroupResource(Self.group),
            addonSecrets: [.init(id: "db", name: "DB", addonType: "postgresql", version: "16", variables: ["NF_DB_HOST": "h"])],
            warnings: []
        )
        let json = try object(details)
        #expect(json["id"] as? String == "example-secret")
        #expect((json["addonSecrets"] as? [[String: Any]])?.first?["addonType"] as? String == "postgresql")
        #expect(try JSONDecoder().decode(SecretGroupDetails.self, from: JSONEncoder().encode(details)) == details)
    }

    @Test func paginationOmitsTheCursorOnTheLastPage() throws {
        #expect(try object(Pagination(hasNextPage: false, count: 2)).keys.sorted() == ["count", "hasNextPage"])
        #expect(try object(Pagination(hasNextPage: true, cursor: "abc", count: 2))["cursor"] as? String == "abc")
    }

    @Test func errorEnvelopeCarriesStatusMessageIdAndDetails() throws {
        let envelope = ErrorEnvelope(error: .init(status: 400, message: "Validation failed", id: "req-1", details: ["name": ["is required"]]))
        let error = try #require(try object(envelope)["error"] as? [String: Any])
        #expect(error["status"] as? Int == 400)
        #expect(error["id"] as? String == "req-1")
        #expect(error["details"] as? [String: [String]] == ["name": ["is required"]])
    }

    @Test func linkedKeysCarryTheirDefaultName() {
        let key = LinkedKey(addonId: "example-addon", key: .init(keyName: "USERNAME", aliases: ["MONGO_USERNAME"]))
        #expect(key.defaultKey == "NF_EXAMPLE-ADDON_USERNAME")
    }
}
