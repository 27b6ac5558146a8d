import CofferCore
import Hummingbird

/// `GET /v1/openapi.json`: an OpenAPI 3.1 description of every route the server answers, built from the same rules it
/// validates with (the schemas are in `OpenAPISchemas`) and the server's own limits, once, when the router is built.
/// Every project route is listed twice, under `/v1/projects/...` and `/v1/teams/{teamId}/projects/...`, with distinct
/// operation ids (`getSecret`, `getSecretForTeam`). A test compares the document's paths and methods with the router's.
struct OpenAPIDocument {
    /// The API version the document describes; `info.version`.
    static let version = "1.0.0"

    let operations: [OpenAPIOperation]
    let limits: ValidationLimits
    /// Whether `GET /metrics` is served, and whether without a token (`--metrics`, `--metrics-public`).
    let metrics: MetricsEndpoint?

    init(limits: ValidationLimits, metrics: MetricsEndpoint?) {
        self.limits = limits
        self.metrics = metrics
        operations = OpenAPIOperation.all
    }

    /// The document as JSON text.
    var json: String { document.jsonText }

    var document: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Coffer",
                "version": .string(Self.version),
                "summary": "Secret groups for services and jobs, in the wire format of Northflank's public API",
                "description": """
                    Every project route exists twice: under /v1/projects/{projectId} (the token's own team) and under \
                    /v1/teams/{teamId}/projects/{projectId} (a team the token does not belong to is a 403). Every non-2xx \
                    answer has the error envelope; a 400 lists every problem of the body in `details`, keyed by JSON path. \
                    Values never appear in an error, a log line or a metric.
                    """,
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "security": [["bearer": []]],
            "tags": .array(OpenAPIOperation.Tag.allCases.map { ["name": .string($0.rawValue)] }),
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "A Coffer token (`coffer token create`, or POST /v1/tokens), sent as Authorization: Bearer <token>",
                    ]
                ],
                "schemas": OpenAPISchemas.all(limits: limits),
                "responses": OpenAPIOperation.errorResponses,
                "parameters": OpenAPIOperation.sharedParameters,
            ],
        ]
    }

    /// Paths in the order they are listed, each with its methods.
    var paths: JSONValue {
        var byPath: [(String, [(String, JSONValue)])] = []
        func add(_ path: String, _ method: String, _ operation: JSONValue) {
            if let index = byPath.firstIndex(where: { $0.0 == path }) {
                byPath[index].1.append((method, operation))
            } else {
                byPath.append((path, [(method, operation)]))
            }
        }
        for operation in operations where operation.scope == .root {
            var operation = operation
            if operation.path == "/metrics" {
                guard let metrics else { continue }
                operation.open = metrics.isPublic
            }
            add(operation.path, operation.method, operation.document(teamForm: false))
        }
        for teamForm in [false, true] {
            for operation in operations where operation.scope == .api {
                add((teamForm ? "/v1/teams/{teamId}" : "/v1") + operation.path, operation.method, operation.document(teamForm: teamForm))
            }
        }
        return .object(byPath.map { ($0.0, .object($0.1)) })
    }

    /// Routes `GET /v1/openapi.json`: open, like the health routes, and served from bytes made once.
    static func addRoutes(to router: Router<APIContext>, limits: ValidationLimits, metrics: MetricsEndpoint?) {
        let bytes = ByteBuffer(string: OpenAPIDocument(limits: limits, metrics: metrics).json)
        router.get("/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
        }
    }
}
