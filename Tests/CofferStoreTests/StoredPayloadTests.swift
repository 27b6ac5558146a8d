import CofferCore
import CofferTestSupport
import Foundation
import Testing

@testable import CofferStore

/// The stored layouts are Coffer's own types, yet version 1 is byte for byte what every earlier release wrote (which
/// was the wire types' JSON): data written before stays readable, and renaming an API field can no longer change it.
@Suite struct StoredPayloadTests {
    /// Values with every kind of content: empty, unicode, every file encoding, binary bytes.
    static func sampleValues(_ seed: Int) -> SecretValues {
        var generator = SeededGenerator(state: UInt64(seed))
        func text() -> String {
            // Quotes, backslashes, slashes and control characters (escaped or not), and names whose byte order differs
            // from their order as Swift strings (a decomposed é sorts before every capital).
            let alphabet = Array("abcXYZ_019 ${}=\"\\\n\t\u{0}\u{1F}\u{7F}/é€😀") + ["e\u{301}"]
            return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        func file() -> SecretFile {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return SecretFile(data: Data(bytes), encoding: FileEncoding.allCases.randomElement(using: &generator)!)
        }
        let count = seed % 5
        return SecretValues(
            variables: Dictionary((0..<count).map { (text() + "K\($0)_\(text())", text()) }, uniquingKeysWith: { first, _ in first }),
            files: Dictionary(uniqueKeysWithValues: (0..<(count % 3)).map { ("/dir/f\($0)", file()) }),
            dockerSecretMounts: Dictionary(uniqueKeysWithValues: (0..<(count % 2)).map { ("mount_\($0)", file()) })
        )
    }

    @Test(arguments: 0..<200) func groupValuesKeepTheLayoutEarlierReleasesWrote(seed: Int) throws {
        let values = Self.sampleValues(seed)
        let earlier = try StoredJSON.encode(values)  // what the stores wrote before they had layouts of their own
        #expect(try StoredPayload.encode(values) == earlier)
        #expect(try StoredPayload.encode(values) == StoredJSON.encode(StoredPayload.GroupValues(values)))
        #expect(try StoredPayload.groupValues(from: earlier) == values)
    }

    @Test(arguments: 0..<50) func workloadValuesKeepTheirLayout(seed: Int) throws {
        let group = Self.sampleValues(seed)
        let values = WorkloadValues(
            runtimeEnvironment: group.variables,
            runtimeFiles: group.files,
            buildArguments: group.variables.mapValues { $0 + "!" },
            buildFiles: group.dockerSecretMounts
        )
        let earlier = try StoredJSON.encode(values)
        #expect(try StoredPayload.encode(values) == earlier)
        #expect(try StoredPayload.encode(values) == StoredJSON.encode(StoredPayload.WorkloadValues(values)))
        #expect(try StoredPayload.workloadValues(from: earlier) == values)
        #expect(try StoredPayload.encode(values.buildArguments) == StoredJSON.encode(values.buildArguments))
        let names = Array(values.runtimeEnvironment.values)
        #expect(try StoredPayload.encode(names) == StoredJSON.encodeString(names))
    }

    @Test func metadataColumnsKeepTheirLayout() throws {
        let restrictions = Restrictions(
            restricted: true,
            nfObjects: [.init(id: "api", type: .service), .init(id: "migrate", type: .job)],
            tags: ["web", "édge"],
            tagMatchCondition: .and,
            stageIds: ["production"]
        )
        let dependencies = [
            AddonDependency(addonId: "db", keys: [.init(keyName: "HOST", aliases: ["DB_HOST", "PGHOST"]), .init(keyName: "PORT")]),
            AddonDependency(addonId: "cache", keys: []),
        ]
        #expect(try StoredPayload.encode(restrictions) == StoredJSON.encodeString(restrictions))
        #expect(try StoredPayload.restrictions(from: StoredJSON.encodeString(restrictions)) == restrictions)
        #expect(try StoredPayload.encode(dependencies) == StoredJSON.encodeString(dependencies))
        #expect(try StoredPayload.dependencies(from: StoredJSON.encodeString(dependencies)) == dependencies)
        #expect(try StoredPayload.dependencies(from: "") == [])
    }

    @Test func aCorruptedLayoutIsRefusedNamingWhatIsWrong() throws {
        let badFile = Data(#"{"dockerSecretMounts":{},"files":{"/f":{"data":"not base64!","encoding":"utf-8"}},"variables":{}}"#.utf8)
        #expect(throws: StoreError.self) { try StoredPayload.groupValues(from: badFile) }
        let badCondition = #"{"nfObjects":[],"restricted":false,"stageIds":[],"tagMatchCondition":"xor","tags":[]}"#
        let error = #expect(throws: StoreError.self) { try StoredPayload.restrictions(from: badCondition) }
        #expect(error?.message.contains("tag match condition") == true)
    }
}
