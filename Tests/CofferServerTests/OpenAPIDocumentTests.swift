import CofferCore
import CofferServer
import CofferStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

/// `GET /v1/openapi.json` against the router it describes: the same routes, both ways, and a document that holds
/// together (distinct operation ids, every reference resolved, the validation rules and limits the server uses). The
/// document is validated as OpenAPI 3.1 and the live server checked against it by schemathesis in compat/.
@Suite struct OpenAPIDocumentTests {
    static func configuration(limits: ValidationLimits = ValidationLimits()) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.limits = limits
        configuration.metrics = MetricsEndpoint(registry: PrometheusCollectorRegistry(), isPublic: false)
        return configuration
    }

    /// The document as served, without a token.
    static func document(_ configuration: ServerConfiguration) async throws -> [String: Any] {
        let router = buildRouter(configuration: configuration, store: MemoryStore())
        let body = try await Application(router: router).test(.router) { client -> Data in
            let response = try await client.execute(uri: "/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            return Data(buffer: response.body)
        }
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }

    static func paths(_ document: [String: Any]) -> [String: [String: Any]] {
        (document["paths"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    @Test func theDocumentListsExactlyTheRoutesTheRouterAnswers() async throws {
        let configuration = Self.configuration()
        let router = buildRouter(configuration: configuration, store: MemoryStore())
        let routed = Set(
            router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" }
                // The console's page and files are not API routes.
                .filter { !$0.hasSuffix(" /") && !$0.contains(" /console/") }
        )
        let document = try await Self.document(configuration)
        let documented = Set(Self.paths(document).flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        #expect(routed.count > 100)
        #expect(routed.subtracting(documented).sorted() == [], "routes the document lacks")
        #expect(documented.subtracting(routed).sorted() == [], "documented routes the server does not answer")
        #expect(document["openapi"] as? String == "3.1.0")
    }

    @Test func withoutMetricsTheDocumentDoesNotListThem() async throws {
        var configuration = Self.configuration()
        configuration.metrics = nil
        #expect(Self.paths(try await Self.document(configuration))["/metrics"] == nil)
    }

    @Test func operationIdsAreDistinctAndTheTeamFormHasItsOwn() async throws {
        let paths = Self.paths(try await Self.document(Self.configuration()))
        var ids: [String] = []
        for (_, methods) in paths {
            for case let (_, operation as [String: Any]) in methods { ids.append(operation["operationId"] as? String ?? "") }
        }
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(""))
        let get = paths["/v1/projects/{projectId}/secrets/{secretId}"]?["get"] as? [String: Any]
        let teamGet = paths["/v1/teams/{teamId}/projects/{projectId}/secrets/{secretId}"]?["get"] as? [String: Any]
        #expect(get?["operationId"] as? String == "getSecret")
        #expect(teamGet?["operationId"] as? String == "getSecretForTeam")
        #expect(get?["description"] as? String == "Permission: 'Project > Secrets > SecretGroups > Read'.")
    }

    @Test func everyReferenceResolves() async throws {
        let document = try await Self.document(Self.configuration())
        let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        let references = Set(
            text.components(separatedBy: "\"$ref\":\"").dropFirst()
                .map { String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "\\/", with: "/") }
        )
        #expect(references.count > 40)
        let components = document["components"] as? [String: Any] ?? [:]
        for reference in references {
            let parts = reference.split(separator: "/").map(String.init)
            #expect(parts.count == 4 && parts[0] == "#" && parts[1] == "components", "\(reference)")
            guard parts.count == 4 else { continue }
            #expect((components[parts[2]] as? [String: Any])?[parts[3]] != nil, "unresolved \(reference)")
        }
    }

    @Test func openRoutesNeedNoTokenAndEveryOtherNeedsTheBearer() async throws {
        let document = try await Self.document(Self.configuration())
        #expect((document["security"] as? [[String: Any]])?.first?["bearer"] != nil)
        var open: [String] = []
        for (path, methods) in Self.paths(document) {
            for case let (method, operation as [String: Any]) in methods where (operation["security"] as? [Any])?.isEmpty == true {
                open.append("\(method) \(path)")
            }
        }
        #expect(open.sorted() == ["get /v1/health", "get /v1/openapi.json", "get /v1/ready"])
    }

    @Test func withMetricsPublicTheScrapeIsDocumentedAsOpen() async throws {
        var configuration = Self.configuration()
        configuration.metrics?.isPublic = true
        let metrics = Self.paths(try await Self.document(configuration))["/metrics"]?["get"] as? [String: Any]
        #expect((metrics?["security"] as? [Any])?.isEmpty == true)
    }

    @Test func theGroupBodyCarriesTheValidationRulesAndTheServersLimits() async throws {
        let limits = ValidationLimits(maximumVariableValueBytes: 4096, maximumFileBytes: 1024, maximumVariables: 25)
        let document = try await Self.document(Self.configuration(limits: limits))
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        let definition = try #require(schemas["SecretGroupDefinition"] as? [String: Any])
        #expect(definition["additionalProperties"] as? Bool == false)
        #expect(Set(definition["required"] as? [String] ?? []) == ["name", "secretType", "priority"])
        let properties = try #require(definition["properties"] as? [String: [String: Any]])
        #expect(properties["name"]?["pattern"] as? String == Pattern.groupName.source)
        #expect(properties["name"]?["minLength"] as? Int == 3)
        #expect(properties["name"]?["maxLength"] as? Int == 100)
        #expect(properties["priority"]?["type"] as? String == "integer")
        #expect(properties["priority"]?["maximum"] as? Int == 100)
        #expect(properties["secretType"]?["enum"] as? [String] == ["environment", "arguments", "environment-arguments"])
        let secrets = try #require(schemas["SecretValuesInput"] as? [String: Any])
        let variables = try #require((secrets["properties"] as? [String: [String: Any]])?["variables"])
        #expect(variables["maxProperties"] as? Int == 25)
        #expect((variables["propertyNames"] as? [String: Any])?["pattern"] as? String == Pattern.variableName.source)
        #expect((variables["additionalProperties"] as? [String: Any])?["maxLength"] as? Int == 4096)
        let nfObject = ((schemas["Restrictions"] as? [String: Any])?["properties"] as? [String: [String: Any]])?["nfObjects"]?["items"]
        #expect(((nfObject as? [String: Any])?["properties"] as? [String: [String: Any]])?["type"]?["enum"] as? [String] == ["service", "job"])
    }
}
