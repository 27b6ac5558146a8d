import CofferAPI
import CofferCore
import Foundation
import Testing

/// The hand-written writer must produce exactly what JSONEncoder (sorted keys, slashes unescaped) produces.
@Suite struct JSONWriterTests {
    static func foundation(_ group: SecretGroupResource, withholding: Bool) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if withholding { encoder.userInfo[.withholdsValues] = true }
        return Array(try encoder.encode(DataEnvelope(data: group)))
    }

    static let awkward = "quote \" backslash \\ slash / controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F} é 漢字 🔐 \u{2028}"

    static let groups: [SecretGroup] = {
        let t0 = Timestamp(millisecondsSinceEpoch: 1_790_000_000_123)
        let plain = SecretGroupDefinition(name: "Plain", secretType: .environment, priority: 0)
        var full = SecretGroupDefinition(
            name: "Full Group",
            description: "A description, with / and \"quotes\"",
            type: .config,
            secretType: .environmentArguments,
            priority: 100,
            tags: ["b-tag", "a-tag"],
            stageId: "prod",
            restrictions: Restrictions(
                restricted: true,
                nfObjects: [.init(id: "api", type: .service), .init(id: "nightly", type: .job)],
                tags: ["t1"],
                tagMatchCondition: .and,
                stageIds: ["s1", "s2"]
            ),
            addonDependencies: [AddonDependency(addonId: "db", keys: [.init(keyName: "HOST", aliases: ["DB_HOST", ""])])],
            externalAddonDependencies: [AddonDependency(addonId: "ext", keys: [])],
            secrets: SecretValues(
                variables: ["a": awkward, "B": "", "_": "x", "Z": "z", "a1": "1", "A1": "2", "a.b/c-d": "e", "aa": "f", "a_": "g"],
                files: ["/dir/file": SecretFile(data: Data(awkward.utf8)), "/a": SecretFile(data: Data(), encoding: .latin1)],
                dockerSecretMounts: ["mount_1": SecretFile(data: Data([0, 255, 10]), encoding: .ascii)]
            )
        )
        return [
            SecretGroup(projectId: "demo", definition: plain, version: 1, createdAt: t0, updatedAt: t0),
            SecretGroup(
                projectId: "demo",
                definition: full,
                version: 7,
                createdAt: t0,
                updatedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_999_000)
            ),
        ]
    }()

    @Test(arguments: groups, [false, true])
    func matchesJSONEncoderByteForByte(group: SecretGroup, withholding: Bool) throws {
        let resource = SecretGroupResource(group)
        let written = JSONWriter.envelope(resource, withholdingValues: withholding)
        let expected = try Self.foundation(resource, withholding: withholding)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(written == expected)
    }

    /// A version's answer: the group's members and `version`, in the same sorted order.
    @Test(arguments: groups, [false, true])
    func writesAVersionAsJSONEncoderDoes(group: SecretGroup, withholding: Bool) throws {
        let resource = SecretGroupVersionResource(group: SecretGroupResource(group), version: group.version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if withholding { encoder.userInfo[.withholdsValues] = true }
        let expected = try encoder.encode(DataEnvelope(data: resource))
        #expect(String(decoding: JSONWriter.envelope(resource, withholdingValues: withholding), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
