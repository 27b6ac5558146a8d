import CofferTestSupport
import Foundation
import Testing

@testable import CofferCore

@Suite("Reference PUT body")
struct ReferenceBodyTests {
    static let template = Data("This is an example with a templated ${NODE_ENV} variable".utf8)

    @Test("validates and derives the id example-secret")
    func validates() throws {
        let definition = try SecretGroupDefinition(validating: try parseJSON(ReferenceBody.json))
        #expect(definition.id == "example-secret")
        #expect(definition.name == "Example Secret")
        #expect(definition.description == "A description")
        #expect(definition.type == .secret)
        #expect(definition.secretType == .environment)
        #expect(definition.priority == 10)
        #expect(definition.stageId == nil)
        let dependency = AddonDependency(addonId: "example-addon", keys: [.init(keyName: "USERNAME", aliases: ["MONGO_USERNAME"])])
        #expect(definition.addonDependencies == [dependency])
        #expect(definition.externalAddonDependencies == [dependency])
        #expect(definition.secrets.variables == ["NODE_ENV": "production", "MONGO_DB": "some_connection_string"])
        #expect(definition.secrets.files == ["/dir/fileName": SecretFile(data: Self.template, encoding: .utf8)])
        #expect(definition.secrets.dockerSecretMounts == ["example-secret-mount_1": SecretFile(data: Self.template, encoding: .utf8)])
    }

    @Test("fills the defaults the body leaves out")
    func fillsDefaults() throws {
        let definition = try SecretGroupDefinition(validating: try parseJSON(ReferenceBody.json))
        #expect(definition.tags == [])
        #expect(definition.restrictions.restricted == true)
        #expect(definition.restrictions.nfObjects == [Restrictions.Object(id: "example-service", type: .service)])
        #expect(definition.restrictions.tags == [])
        #expect(definition.restrictions.stageIds == [])
        #expect(definition.restrictions.tagMatchCondition == .or)
    }

    @Test("type defaults to secret when the body leaves it out")
    func typeDefault() throws {
        guard case .object(let members) = try parseJSON(ReferenceBody.json) else { throw TestFailure("not an object") }
        let withoutType = JSONValue.object(members.filter { $0.0 != "type" })
        let definition = try SecretGroupDefinition(validating: withoutType)
        #expect(definition.type == .secret)
        #expect(definition == (try SecretGroupDefinition(validating: .object(members))))
    }

    @Test("the defaults written out give an equal definition")
    func explicitDefaultsAreEqual() throws {
        guard case .object(var members) = try parseJSON(ReferenceBody.json) else { throw TestFailure("not an object") }
        let original = try SecretGroupDefinition(validating: .object(members))
        members.append(("tags", .array([])))
        members.append(("stageId", .null))
        members.append(("id", .string("example-secret")))
        members.append(("projectId", .string("demo")))
        #expect(try SecretGroupDefinition(validating: .object(members)) == original)
    }
}
