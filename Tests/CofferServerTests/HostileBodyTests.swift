import CofferCore
import CofferServer
import CofferStore
import CofferTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Thousands of random and mutated bodies, derived from the reference body with a seeded generator: the validator
/// never crashes, the live server answers 200 or a 4xx with the error envelope (never a 500), and rejected bodies
/// leave stored groups exactly as the last accepted write left them.
@Suite struct HostileBodyTests {
    static let fragments = [
        "null", "true", "-0", "1e400", "123456789012345678901234567890", "1.5", "\"\"", "[]", "{}", "\"\\u0000\"", "\"/a/../b\"",
        "\"\\ud800\"", String(repeating: "[", count: 80), "\"\u{FEFF}\"", "\"a\\u0000b\"", "{\"a\":1,\"a\":2}",
        "\"" + String(repeating: "x", count: 70_000) + "\"",
    ]

    /// One mutation of `base`: flip, delete or insert bytes, splice in a hostile fragment, truncate, or replace a
    /// member's value.
    static func mutate(_ base: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = base
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            guard !bytes.isEmpty else { break }
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: bytes.remove(at: position)
            case 2: bytes.insert(contentsOf: Array(fragments.randomElement(using: &generator)!.utf8), at: position)
            case 3: bytes = Array(bytes.prefix(position))
            case 4:
                if let colon = bytes[position...].firstIndex(of: UInt8(ascii: ":")),
                    let end = bytes[(colon + 1)...].firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") })
                {
                    bytes.replaceSubrange((colon + 1)..<end, with: Array(fragments.randomElement(using: &generator)!.utf8))
                }
            default: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &generator), at: position)
            }
        }
        return bytes
    }

    @Test func theValidatorSurvivesTenThousandMutations() {
        var generator = SeededGenerator(state: 0xC0FF_EE)
        let base = Array(ReferenceBody.json.utf8)
        var accepted = 0
        for _ in 0..<10_000 {
            let body = Self.mutate(base, using: &generator)
            guard let json = try? JSONParser().parse(body) else { continue }
            if (try? SecretGroupDefinition(validating: json)) != nil { accepted += 1 }
        }
        #expect(accepted > 0, "some mutations stay valid, so the generator is not only producing garbage")
    }

    @Test func theLiveServerAnswers200Or4xxAndRejectedBodiesChangeNothing() async throws {
        let fixture = try await ServerFixture.sqlite()
        let scope = ProjectScope(team: "default", project: "demo")
        var generator = SeededGenerator(state: 0x5EED)
        let base = Array(ReferenceBody.json.utf8)
        let bodies = (0..<1500).map { _ in Self.mutate(base, using: &generator) }
        try await fixture.application().test(.live) { client in
            var lastAccepted: [String: String] = [:]  // group id -> updatedAt of the last accepted write
            var statuses: [Int: Int] = [:]
            for body in bodies {
                let response = try await client.execute(
                    uri: "/v1/projects/demo/secrets",
                    method: .put,
                    headers: .admin,
                    body: ByteBuffer(bytes: body)
                )
                statuses[Int(response.status.code), default: 0] += 1
                #expect(response.status.code < 500, "a mutated body caused \(response.status.code)")
                if response.status == .ok {
                    let group = try response.data
                    lastAccepted[group["id"] as? String ?? ""] = group["updatedAt"] as? String
                } else {
                    let error = try response.error
                    #expect(error["status"] as? Int == Int(response.status.code) && (error["message"] as? String)?.isEmpty == false)
                    #expect(error["id"] as? String == response.headers[HTTPField.Name("X-Request-Id")!])
                }
            }
            #expect(statuses[200, default: 0] > 0 && statuses[400, default: 0] > 0, "\(statuses)")
            let stored = try await fixture.store.groups(in: scope)
            #expect(Set(stored.map(\.id)) == Set(lastAccepted.keys), "only accepted bodies created groups")
            for group in stored {
                #expect(group.updatedAt.rfc3339 == lastAccepted[group.id], "group \(group.id) changed after its last accepted write")
            }
        }
    }
}
