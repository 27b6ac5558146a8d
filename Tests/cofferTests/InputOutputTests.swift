import CofferClient
import Foundation
import Testing

@testable import coffer

/// Definitions in JSON or YAML, `-i` over `-f`, and the three output formats.
@Suite struct InputOutputTests {
    func decoded(_ body: JSONBody) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: body.data) as? [String: Any] ?? [:]
    }

    @Test func jsonIsSentAsWritten() throws {
        let text = #"{"name": "App", "priority": 10}"#
        #expect(try InputOptions.jsonBody(from: text).data == Data(text.utf8))
    }

    @Test func yamlBecomesJSONWithItsTypes() throws {
        let yaml = """
            name: App Config
            secretType: environment
            priority: 10
            restrictions:
              restricted: true
              tags: [web-tier]
            secrets:
              variables:
                PORT: "8080"
                DEBUG: false
            """
        let body = try decoded(try InputOptions.jsonBody(from: yaml))
        #expect(body["name"] as? String == "App Config" && body["priority"] as? Int == 10)
        #expect((body["restrictions"] as? [String: Any])?["restricted"] as? Bool == true)
        let variables = (body["secrets"] as? [String: Any])?["variables"] as? [String: Any]
        #expect(variables?["PORT"] as? String == "8080" && variables?["DEBUG"] as? Bool == false)
    }

    @Test func inputWinsOverFile() throws {
        let path = NSTemporaryDirectory() + "coffer-input-\(UUID().uuidString).json"
        try #"{"name": "From File"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        var options = try InputOptions.parse(["-f", path])
        #expect(try decoded(try options.body())["name"] as? String == "From File")
        options = try InputOptions.parse(["-f", path, "-i", "name: From Input"])
        #expect(try decoded(try options.body())["name"] as? String == "From Input")
        #expect(throws: CLIError.self) { try InputOptions.parse([]).body() }
        #expect(throws: CLIError.self) { try InputOptions.parse(["-f", path + ".missing"]).body() }
    }

    @Test func malformedInputIsRefusedWithoutQuotingIt() throws {
        let error = #expect(throws: CLIError.self) { try InputOptions.jsonBody(from: "name: [unclosed-secret-value") }
        #expect(error?.message.contains("unclosed-secret-value") == false)
        #expect(throws: CLIError.self) { try InputOptions.jsonBody(from: "- a list\n- not an object") }
    }

    @Test func yamlOutputKeepsStringsThatLookLikeNumbers() throws {
        let yaml = try Output.render(["variables": ["PORT": "8080", "ON": "true"]], as: .yaml)
        #expect(yaml.contains("PORT: '8080'") && yaml.contains(": 'true'"), "\(yaml)")
    }

    @Test func tableListsIdAndNameFirst() throws {
        struct Row: Encodable {
            var priority: Int
            var name: String
            var id: String
        }
        let table = try Output.render(
            ["secrets": [Row(priority: 10, name: "App", id: "app"), Row(priority: 5, name: "Base Config", id: "base-config")]],
            as: .table
        )
        #expect(
            table.split(separator: "\n").map(String.init) == [
                "ID           NAME         PRIORITY", "app          App          10", "base-config  Base Config  5",
            ]
        )
    }
}
