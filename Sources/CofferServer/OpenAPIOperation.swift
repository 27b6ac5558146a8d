import CofferCore

/// One operation of the OpenAPI document: a method and path (under `/v1` or the team form for `.api`, as written for
/// `.root`), what it needs and what it answers. `all` lists every route `buildRouter` adds, in the order a reader meets
/// them in the contract; a test holds the two to each other.
struct OpenAPIOperation {
    enum Scope { case root, api }

    enum Tag: String, CaseIterable {
        case operations = "Operations"
        case projects = "Projects"
        case tokens = "Tokens"
        case audit = "Audit"
        case secrets = "Secret groups"
        case links = "Addon links"
        case history = "History"
        case changes = "Change feed"
        case changeSets = "Change sets"
        case addons = "Addons"
        case externalAddons = "External addons"
        case services = "Services"
        case jobs = "Jobs"
    }

    /// What a 200 carries.
    enum Answer {
        /// `{"data": <schema>}`.
        case data(String)
        /// `{"data": <schema>, "pagination": ...}`.
        case paged(String)
        /// `{"data": {}}`.
        case empty
        /// Another body, described in full (the health answers, metrics, the document itself, the feed's stream).
        case content(JSONValue)
    }

    var scope: Scope = .api
    let method: String
    let path: String
    let id: String
    let tag: Tag
    let summary: String
    var permission: Permission?
    var open = false
    var parameters: [JSONValue] = []
    var body: String?
    var answer: Answer
    /// Statuses beyond 400, 401, 403, 404 and the default that this operation answers for a reason of its own.
    var statuses: [Int] = []
    /// Headers of the 200 answer, by name.
    var answerHeaders: [(String, JSONValue)] = []

    /// The operation object; the team form gets the `teamId` parameter and its own operation id.
    func document(teamForm: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("operationId", .string(teamForm ? id + "ForTeam" : id)),
            ("tags", [.string(tag.rawValue)]),
            ("summary", .string(summary)),
        ]
        if let permission { members.append(("description", .string("Permission: '\(permission.name)'."))) }
        if open { members.append(("security", [])) }
        let pathParameters = Self.pathParameters(in: (teamForm ? "/teams/{teamId}" : "") + path).map { Self.parameterReference($0) }
        if !(pathParameters + parameters).isEmpty { members.append(("parameters", .array(pathParameters + parameters))) }
        if let body {
            members.append(
                (
                    "requestBody",
                    ["required": true, "content": ["application/json": ["schema": OpenAPISchemas.ref(body)]]]
                )
            )
        }
        members.append(("responses", responses(hasPathParameters: !pathParameters.isEmpty)))
        return .object(members)
    }

    func responses(hasPathParameters: Bool) -> JSONValue {
        var success: [(String, JSONValue)] = [("description", "Success")]
        if !answerHeaders.isEmpty { success.append(("headers", .object(answerHeaders))) }
        switch answer {
        case .data(let schema):
            success.append(("content", Self.json(OpenAPISchemas.object([("data", OpenAPISchemas.ref(schema))], required: ["data"]))))
        case .paged(let schema):
            success.append(
                (
                    "content",
                    Self.json(
                        OpenAPISchemas.object(
                            [("data", OpenAPISchemas.ref(schema)), ("pagination", OpenAPISchemas.ref("Pagination"))], required: ["data", "pagination"]
                        )
                    )
                )
            )
        case .empty: success.append(("content", Self.json(OpenAPISchemas.object([("data", OpenAPISchemas.ref("Empty"))], required: ["data"]))))
        case .content(let content): success.append(("content", content))
        }
        var all: [(String, JSONValue)] = [("200", .object(success))]
        var errors = statuses
        if body != nil || !parameters.isEmpty { errors.append(400) }
        if body != nil { errors += [413, 415] }
        if !open { errors += [401, 403] }
        if hasPathParameters { errors.append(404) }
        for status in Set(errors).sorted() {
            let notModified: JSONValue = ["description": "Not modified: the content still has the ETag sent"]
            all.append((String(status), status == 304 ? notModified : Self.errorReference(status)))
        }
        all.append(("default", ["$ref": "#/components/responses/Error"]))
        return .object(all)
    }

    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    // MARK: - Parameters and error answers

    static func pathParameters(in path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    static func parameterReference(_ name: String) -> JSONValue { ["$ref": .string("#/components/parameters/\(name)")] }

    static let sharedParameters: JSONValue = {
        func path(_ name: String, _ description: String, schema: JSONValue = ["type": "string", "minLength": 1]) -> (String, JSONValue) {
            (name, ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": schema])
        }
        return .object([
            path("teamId", "The team; one the token does not belong to is a 403"),
            path("projectId", "The project's id (its name lowercased, whitespace as -)"),
            path("secretId", "The secret group's id (its name lowercased, whitespace as -)"),
            path("addonId", "The addon's id"),
            path("workloadId", "The service's or job's id"),
            path("tokenId", "The token's id"),
            path("version", "A version number of the group, from 1", schema: ["type": "integer", "minimum": 1, "maximum": 2_147_483_647]),
            path("key", "A key of the workload's effective runtime environment"),
        ])
    }()

    static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": schema]
    }

    static func header(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "header", "description": .string(description), "schema": schema]
    }

    static let errorStatuses: [(Int, String)] = [
        (400, "Malformed JSON, an invalid body or query: details name every problem by JSON path"),
        (401, "Missing, unknown, expired or revoked token"),
        (403, "The token lacks the permission named in the message, or the team is not the token's"),
        (404, "No such resource in this project (also for another team's)"),
        (409, "Conflicts with what exists (an id taken, an addon still linked)"),
        (410, "The feed no longer holds changes that old: re-read, then watch from the revision given"),
        (412, "If-Match no longer matches the current version; nothing was changed"),
        (413, "The body is over the size limit"),
        (415, "The body is not application/json"),
        (503, "The store does not answer"),
    ]

    static func errorReference(_ status: Int) -> JSONValue { ["$ref": .string("#/components/responses/Error\(status)")] }

    static let errorResponses: JSONValue = {
        let content = json(OpenAPISchemas.ref("Error"))
        var responses: [(String, JSONValue)] = errorStatuses.map { status, description in
            ("Error\(status)", ["description": .string(description), "content": content])
        }
        responses.append(
            ("Error", ["description": "An error, in the error envelope (429 when rate limited, 5xx never with detail)", "content": content])
        )
        return .object(responses)
    }()
}
