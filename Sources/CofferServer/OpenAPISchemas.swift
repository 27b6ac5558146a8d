import CofferAPI
import CofferCore

/// The OpenAPI document's schemas (`components.schemas`): request bodies with the validation rules as constraints, taken
/// from the same `Pattern`s, lengths, enums and limits the server validates with, and the answers as the server writes
/// them. Request bodies are closed (`additionalProperties: false`: an unknown field is a 400); answers are open, so a
/// client built from the document keeps working when a later version adds a field.
enum OpenAPISchemas {
    static func all(limits: ValidationLimits) -> JSONValue {
        var schemas: [(String, JSONValue)] = [
            ("Error", error),
            ("Pagination", pagination),
            ("Empty", .object([("type", "object"), ("maxProperties", 0)])),
            ("Timestamp", ["type": "string", "format": "date-time", "description": "RFC 3339 UTC with milliseconds, 2026-11-28T17:00:00.000Z"]),
            ("SecretFile", secretFile),
        ]
        schemas += secretGroupSchemas(limits: limits)
        schemas += projectAndTokenSchemas
        schemas += addonSchemas(limits: limits)
        schemas += workloadSchemas(limits: limits)
        schemas += historySchemas
        schemas += feedAndChangeSetSchemas
        return .object(schemas)
    }

    // MARK: - Builders

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func string(_ pattern: Pattern? = nil, length: ClosedRange<Int>? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "string")]
        if let length {
            if length.lowerBound > 0 { members.append(("minLength", .number(String(length.lowerBound)))) }
            members.append(("maxLength", .number(String(length.upperBound))))
        }
        if let pattern { members.append(("pattern", .string(pattern.source))) }
        return .object(members)
    }

    static func oneOf<Kind: RawRepresentable & CaseIterable>(_: Kind.Type) -> JSONValue where Kind.RawValue == String {
        ["type": "string", "enum": .array(Kind.allCases.map { .string($0.rawValue) })]
    }

    static func integer(_ range: ClosedRange<Int>? = nil) -> JSONValue {
        guard let range else { return ["type": "integer"] }
        return ["type": "integer", "minimum": .number(String(range.lowerBound)), "maximum": .number(String(range.upperBound))]
    }

    static func array(_ items: JSONValue, maximum: Int? = nil) -> JSONValue {
        guard let maximum else { return ["type": "array", "items": items] }
        return ["type": "array", "items": items, "maxItems": .number(String(maximum))]
    }

    /// An object whose member names are data (variables by name, files by path).
    static func map(_ values: JSONValue, names: JSONValue? = nil, maximum: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object"), ("additionalProperties", values)]
        if let names { members.append(("propertyNames", names)) }
        if let maximum { members.append(("maxProperties", .number(String(maximum)))) }
        return .object(members)
    }

    /// An object with named members. `closed` for request bodies: a member not listed is a 400.
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], closed: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        if closed { members.append(("additionalProperties", false)) }
        return .object(members)
    }

    static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    /// A value a caller without the value permission sees as `null` (section 8 of the contract).
    static func withheld(_ schema: JSONValue) -> JSONValue { nullable(schema) }

    static let boolean: JSONValue = ["type": "boolean"]
    static let text: JSONValue = ["type": "string"]
    static let texts: JSONValue = array(text)
    static let timestamp = ref("Timestamp")
    /// Fields a client may echo back from an answer; the server ignores them in a body.
    static let echoed: JSONValue = ["description": "Read-only; ignored in a request body"]

    // MARK: - Shared

    static let error: JSONValue = object([
        (
            "error",
            object(
                [
                    ("status", integer(400...599)),
                    ("message", text),
                    ("id", ["type": "string", "description": "The request id, also sent as X-Request-Id"]),
                    (
                        "details",
                        [
                            "type": "object", "additionalProperties": texts,
                            "description": "For a 400: messages by the JSON path of the member they are about, every problem at once",
                        ]
                    ),
                ],
                required: ["status", "message", "id"]
            )
        )
    ], required: ["error"])

    static let pagination = object(
        [
            ("hasNextPage", boolean), ("cursor", ["type": "string", "description": "Absent on the last page"]),
            ("count", ["type": "integer", "minimum": 0]),
        ],
        required: ["hasNextPage", "count"]
    )

    static let secretFile = object(
        [
            (
                "data",
                [
                    "type": "string", "contentEncoding": "base64", "description": "Base64 of the file's bytes",
                    "pattern": #"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"#,
                ]
            ),
            ("encoding", oneOf(FileEncoding.self)),
        ],
        required: ["data"],
        closed: true
    )

    static func variables(_ limits: ValidationLimits) -> JSONValue {
        map(
            ["type": ["string", "number", "boolean"], "maxLength": .number(String(limits.maximumVariableValueBytes))],
            names: string(.variableName, length: 1...256), maximum: limits.maximumVariables
        )
    }

    /// Absolute, naming a file (not ending in `/`), no NUL, no `..` segment.
    static let filePath: JSONValue = [
        "type": "string", "minLength": 2, "maxLength": 1024, "pattern": #"^/[^\u0000]*[^/\u0000]$"#, "not": ["pattern": #"(^|/)\.\.(/|$)"#],
    ]

    static func files(_ limits: ValidationLimits) -> JSONValue { map(ref("SecretFile"), names: filePath) }

    // MARK: - Secret groups

    static func secretGroupSchemas(limits: ValidationLimits) -> [(String, JSONValue)] {
        let slug = string(.slug, length: 3...100)
        let nfObject = object([("id", string(.objectIdentifier)), ("type", oneOf(WorkloadKind.self))], required: ["id", "type"], closed: true)
        let restrictions = object(
            [
                ("restricted", boolean), ("nfObjects", array(nfObject)), ("tags", array(slug)),
                ("tagMatchCondition", oneOf(TagMatchCondition.self)), ("stageIds", array(slug)),
            ],
            closed: true
        )
        let addonKey = object([("keyName", string(.keyName)), ("aliases", array(string(.alias)))], required: ["keyName"], closed: true)
        let dependency = object([("addonId", string(.objectIdentifier)), ("keys", array(addonKey))], required: ["addonId", "keys"], closed: true)
        let secrets = object(
            [
                ("variables", variables(limits)), ("files", files(limits)),
                ("dockerSecretMounts", map(ref("SecretFile"), names: string(.dockerSecretMountName, length: 1...100))),
            ],
            closed: true
        )
        let definitionFields: [(String, JSONValue)] = [
            ("description", nullable(string(.description, length: 1...200))),
            ("type", oneOf(GroupType.self)),
            ("secretType", oneOf(SecretType.self)),
            ("priority", integer(0...100)),
            ("restrictions", ref("Restrictions")),
            ("addonDependencies", array(ref("AddonDependency"))),
            ("externalAddonDependencies", array(ref("AddonDependency"))),
            ("secrets", ref("SecretValuesInput")),
        ]
        let labels: [(String, JSONValue)] = [("tags", array(slug)), ("stageId", nullable(slug))]
        let echoedFields: [(String, JSONValue)] = ["id", "projectId", "createdAt", "updatedAt"].map { ($0, echoed) }
        let name = string(.groupName, length: 3...100)
        let secretsOut = object(
            [("variables", map(withheld(text))), ("files", map(fileOut)), ("dockerSecretMounts", map(fileOut))],
            required: ["variables", "files", "dockerSecretMounts"]
        )
        let summaryFields: [(String, JSONValue)] = [
            ("id", text), ("projectId", text), ("name", text), ("description", text), ("tags", texts), ("type", oneOf(GroupType.self)),
            ("secretType", oneOf(SecretType.self)), ("priority", integer(0...100)), ("restrictions", ref("Restrictions")),
        ]
        let groupFields =
            summaryFields + [
                ("stageId", text), ("addonDependencies", array(ref("AddonDependency"))),
                ("externalAddonDependencies", array(ref("AddonDependency"))), ("createdAt", timestamp), ("updatedAt", timestamp),
                ("secrets", ref("SecretValues")),
            ]
        let summaryRequired = ["id", "projectId", "name", "tags", "type", "secretType", "priority", "restrictions"]
        let groupRequired = summaryRequired + ["addonDependencies", "externalAddonDependencies", "createdAt", "updatedAt", "secrets"]
        let addonSecret = object(
            [("id", text), ("name", text), ("addonType", text), ("version", text), ("variables", map(withheld(text)))],
            required: ["id", "name", "addonType", "variables"]
        )
        return [
            ("Restrictions", restrictions),
            ("AddonDependency", dependency),
            ("SecretValuesInput", secrets),
            ("SecretValues", secretsOut),
            (
                "SecretGroupDefinition",
                object([("name", name)] + definitionFields + labels + echoedFields, required: ["name", "secretType", "priority"], closed: true)
            ),
            ("SecretGroupPatch", object(definitionFields + labels + echoedFields, closed: true)),
            ("SecretGroupUpdate", object(definitionFields + echoedFields, closed: true)),
            ("SecretGroupSummary", object(summaryFields, required: summaryRequired)),
            ("SecretGroup", object(groupFields, required: groupRequired)),
            ("SecretGroupVersion", object(groupFields + [("version", integer())], required: groupRequired + ["version"])),
            (
                "SecretGroupDetails",
                object(
                    groupFields + [("addonSecrets", array(addonSecret)), ("warnings", texts)], required: groupRequired + ["addonSecrets", "warnings"]
                )
            ),
            ("SecretGroupList", object([("secrets", array(ref("SecretGroupSummary")))], required: ["secrets"])),
        ]
    }

    /// A file in an answer: `data` is `null` when values are withheld.
    static let fileOut = object([("data", withheld(text)), ("encoding", oneOf(FileEncoding.self))], required: ["data", "encoding"])

    // MARK: - Projects and tokens

    static let projectAndTokenSchemas: [(String, JSONValue)] = {
        let project = object(
            [("id", text), ("name", text), ("description", text), ("createdAt", timestamp)], required: ["id", "name", "createdAt"]
        )
        let workloadReference = object(
            [("projectId", string(.slug, length: 1...100)), ("kind", oneOf(WorkloadKind.self)), ("id", string(.slug, length: 1...100))],
            required: ["projectId", "kind", "id"], closed: true
        )
        let token = object(
            [
                ("id", text), ("name", text), ("role", text), ("projects", texts), ("workload", workloadReference),
                ("status", oneOf(TokenResource.Status.self)), ("createdAt", timestamp), ("expiresAt", timestamp), ("revokedAt", timestamp),
            ],
            required: ["id", "name", "role", "status", "createdAt"]
        )
        return [
            (
                "ProjectDefinition",
                object(
                    [
                        ("name", string(.groupName, length: 3...100)), ("description", nullable(string(.description, length: 0...200))),
                        ("id", echoed), ("createdAt", echoed),
                    ],
                    required: ["name"], closed: true
                )
            ),
            ("Project", project),
            ("ProjectList", object([("projects", array(ref("Project")))], required: ["projects"])),
            (
                "TokenDefinition",
                object(
                    [
                        ("name", string(.groupName, length: 3...100)),
                        ("role", ["type": "string", "enum": .array(Role.all.map { .string($0.name) })]),
                        ("projects", nullable(["type": "array", "items": string(.slug, length: 1...100), "minItems": 1])),
                        ("workload", nullable(workloadReference)),
                        ("expiresAt", nullable(["type": "string", "format": "date-time", "description": "In the future"])),
                    ],
                    required: ["name", "role"], closed: true
                )
            ),
            ("Token", token),
            ("TokenList", object([("tokens", array(ref("Token")))], required: ["tokens"])),
            (
                "CreatedToken",
                object(
                    [("token", ref("Token")), ("secret", ["type": "string", "description": "The bearer text, shown this once"])],
                    required: ["token", "secret"]
                )
            ),
            (
                "AuditEntry",
                object(
                    [
                        ("sequence", integer()), ("at", timestamp), ("teamId", text), ("projectId", text), ("actor", text),
                        ("action", oneOf(AuditAction.self)), ("resourceType", oneOf(AuditResourceType.self)), ("resourceId", text),
                        ("changedKeys", texts), ("changedFields", texts), ("version", integer()), ("revision", integer()), ("route", text),
                        ("requestId", text), ("previousHash", text), ("hash", text),
                    ],
                    required: [
                        "sequence", "at", "teamId", "actor", "action", "resourceType", "resourceId", "changedKeys", "changedFields", "previousHash",
                        "hash",
                    ]
                )
            ),
            ("AuditEntryList", object([("entries", array(ref("AuditEntry")))], required: ["entries"])),
            (
                "Health",
                object([("status", text), ("store", ["type": "string", "enum": ["sqlite", "postgres", "memory"]])], required: ["status", "store"])
            ),
        ]
    }()

    // MARK: - Addons

    static func addonSchemas(limits: ValidationLimits) -> [(String, JSONValue)] {
        let type: JSONValue = ["type": "string", "minLength": 1, "maxLength": 50, "pattern": "^[A-Za-z][A-Za-z0-9-]*$"]
        let version = string(.alias, length: 1...50)
        let echoedFields: [(String, JSONValue)] = ["id", "createdAt", "updatedAt", "availableKeys"].map { ($0, echoed) }
        let linkedKey = object([("keyName", text), ("aliases", texts), ("defaultKey", text)], required: ["keyName", "aliases", "defaultKey"])
        return [
            (
                "AddonDefinition",
                object(
                    [
                        ("name", string(.groupName, length: 3...100)), ("type", type), ("version", nullable(version)),
                        ("credentials", variables(limits)),
                    ] + echoedFields,
                    required: ["name", "type"], closed: true
                )
            ),
            ("AddonPatch", object([("type", type), ("version", nullable(version)), ("credentials", variables(limits))] + echoedFields, closed: true)),
            (
                "Addon",
                object(
                    [
                        ("id", text), ("name", text), ("type", text), ("version", text), ("credentials", map(withheld(text))),
                        ("availableKeys", texts), ("createdAt", timestamp), ("updatedAt", timestamp),
                    ],
                    required: ["id", "name", "type", "credentials", "availableKeys", "createdAt", "updatedAt"]
                )
            ),
            (
                "AddonSummary",
                object(
                    [("id", text), ("name", text), ("type", text), ("version", text), ("availableKeys", texts)],
                    required: ["id", "name", "type", "availableKeys"]
                )
            ),
            ("AddonList", object([("addons", array(ref("AddonSummary")))], required: ["addons"])),
            ("ExternalAddonList", object([("externalAddons", array(ref("AddonSummary")))], required: ["externalAddons"])),
            ("AddonCredentials", object([("envs", map(text)), ("secrets", map(text))], required: ["envs", "secrets"])),
            ("LinkedKey", linkedKey),
            ("AddonLinkRequest", object([("keys", array(ref("AddonKeyInput")))], required: ["keys"], closed: true)),
            (
                "AddonKeyInput",
                object([("keyName", string(.keyName)), ("aliases", array(string(.alias)))], required: ["keyName"], closed: true)
            ),
            ("LinkedKeys", object([("keys", array(ref("LinkedKey")))], required: ["keys"])),
            (
                "AddonLink",
                object(
                    [
                        ("secretId", text), ("secretName", text), ("addonId", text), ("addonName", text), ("addonType", text), ("linked", boolean),
                        ("linkedKeys", array(ref("LinkedKey"))), ("availableKeys", texts),
                    ],
                    required: ["secretId", "secretName", "addonId", "addonName", "addonType", "linked", "availableKeys"]
                )
            ),
        ]
    }

    // MARK: - Workloads and effective environments

    static func workloadSchemas(limits: ValidationLimits) -> [(String, JSONValue)] {
        let slug = string(.slug, length: 3...100)
        let own: [(String, JSONValue)] = [
            ("runtimeEnvironment", variables(limits)), ("runtimeFiles", files(limits)), ("buildArguments", variables(limits)),
            ("buildFiles", files(limits)),
        ]
        let labels: [(String, JSONValue)] = [("tags", array(slug)), ("stageId", nullable(slug))]
        let echoedFields: [(String, JSONValue)] = ["id", "projectId", "createdAt", "updatedAt"].map { ($0, echoed) }
        let summaryFields: [(String, JSONValue)] = [("id", text), ("name", text), ("tags", texts), ("stageId", text)]
        let workloadFields =
            summaryFields + [
                ("projectId", text), ("runtimeEnvironment", map(text)), ("runtimeFiles", map(fileOut)), ("buildArguments", map(text)),
                ("buildFiles", map(fileOut)), ("createdAt", timestamp), ("updatedAt", timestamp),
            ]
        func explained(_ value: JSONValue) -> JSONValue {
            let source: [(String, JSONValue)] = [
                ("inheritedFrom", ["type": "string", "description": "The group that supplies the value"]), ("addonId", text), ("priority", integer()),
            ]
            return object(
                [("value", value)] + source + [("overriding", array(object([("value", value)] + source, required: ["value"])))],
                required: ["value", "overriding"]
            )
        }
        return [
            (
                "WorkloadDefinition",
                object([("name", string(.groupName, length: 3...100))] + labels + own + echoedFields, required: ["name"], closed: true)
            ),
            ("WorkloadPatch", object(labels + own + echoedFields, closed: true)),
            (
                "Workload",
                object(
                    workloadFields,
                    required: [
                        "id", "projectId", "name", "tags", "runtimeEnvironment", "runtimeFiles", "buildArguments", "buildFiles", "createdAt",
                        "updatedAt",
                    ]
                )
            ),
            ("WorkloadSummary", object(summaryFields, required: ["id", "name", "tags"])),
            ("ServiceList", object([("services", array(ref("WorkloadSummary")))], required: ["services"])),
            ("JobList", object([("jobs", array(ref("WorkloadSummary")))], required: ["jobs"])),
            (
                "RuntimeEnvironmentInput",
                object([("runtimeEnvironment", variables(limits)), ("runtimeFiles", files(limits))], required: ["runtimeEnvironment"], closed: true)
            ),
            (
                "BuildArgumentsInput",
                object([("buildArguments", variables(limits)), ("buildFiles", files(limits))], required: ["buildArguments"], closed: true)
            ),
            (
                "RuntimeEnvironment",
                object([("runtimeEnvironment", map(text)), ("runtimeFiles", map(fileOut))], required: ["runtimeEnvironment", "runtimeFiles"])
            ),
            (
                "BuildArguments",
                object(
                    [("buildArguments", map(text)), ("buildFiles", map(fileOut)), ("dockerSecretMounts", map(fileOut))],
                    required: ["buildArguments", "buildFiles", "dockerSecretMounts"]
                )
            ),
            (
                "RuntimeEnvironmentDetails",
                object(
                    [("runtimeEnvironment", map(explained(text))), ("runtimeFiles", map(explained(fileOut))), ("warnings", texts)],
                    required: ["runtimeEnvironment", "runtimeFiles", "warnings"]
                )
            ),
            (
                "BuildArgumentsDetails",
                object(
                    [
                        ("buildArguments", map(explained(text))), ("buildFiles", map(explained(fileOut))),
                        ("dockerSecretMounts", map(explained(fileOut))), ("warnings", texts),
                    ],
                    required: ["buildArguments", "buildFiles", "dockerSecretMounts", "warnings"]
                )
            ),
            ("EnvironmentValues", map(text)),
            ("EnvironmentValue", object([("value", text)], required: ["value"])),
        ]
    }

    // MARK: - History

    static let historySchemas: [(String, JSONValue)] = {
        let diffValue: JSONValue = ["anyOf": [text, fileOut, ["type": "null"]]]
        let entry: JSONValue = [
            "anyOf": [text, object([("key", text), ("from", diffValue), ("to", diffValue)], required: ["key", "from", "to"])],
            "description": "A key's name, or with showValues=true {key, from, to}",
        ]
        let changes = object(
            [("added", array(entry)), ("removed", array(entry)), ("changed", array(entry))], required: ["added", "removed", "changed"]
        )
        return [
            (
                "GroupVersionInfo",
                object(
                    [
                        ("version", integer()), ("at", timestamp), ("actor", text), ("action", oneOf(GroupVersionAction.self)),
                        ("changedKeys", texts), ("changedFields", texts), ("current", boolean),
                    ],
                    required: ["version", "at", "actor", "action", "changedKeys", "changedFields", "current"]
                )
            ),
            ("GroupVersionList", object([("versions", array(ref("GroupVersionInfo")))], required: ["versions"])),
            (
                "GroupDiff",
                object(
                    [
                        ("from", integer()), ("to", integer()), ("variables", changes), ("files", changes), ("dockerSecretMounts", changes),
                        ("fields", texts),
                    ],
                    required: ["from", "to", "variables", "files", "dockerSecretMounts", "fields"]
                )
            ),
            ("RollbackRequest", object([("version", ["type": "integer", "minimum": 1])], required: ["version"], closed: true)),
            (
                "ProjectRestoreRequest",
                object([("asOf", ["type": "string", "format": "date-time"]), ("dryRun", boolean)], required: ["asOf"], closed: true)
            ),
            (
                "ProjectRestore",
                object(
                    [
                        ("asOf", timestamp), ("dryRun", boolean),
                        (
                            "groups",
                            array(
                                object(
                                    [
                                        ("secretId", text), ("action", ["type": "string", "enum": ["restore", "rollback", "delete"]]),
                                        ("fromVersion", integer()), ("asOfVersion", integer()), ("version", integer()), ("changedKeys", texts),
                                        ("changedFields", texts),
                                    ],
                                    required: ["secretId", "action", "version", "changedKeys", "changedFields"]
                                )
                            )
                        ),
                    ],
                    required: ["asOf", "dryRun", "groups"]
                )
            ),
        ]
    }()

    // MARK: - Change feed and change sets

    static let feedAndChangeSetSchemas: [(String, JSONValue)] = {
        let change = object(
            [
                ("revision", integer()), ("at", timestamp), ("action", oneOf(AuditAction.self)), ("resourceType", oneOf(AuditResourceType.self)),
                ("resourceId", text), ("version", integer()), ("changedKeys", texts), ("changedFields", texts),
            ],
            required: ["revision", "at", "action", "resourceType", "resourceId", "changedKeys", "changedFields"]
        )
        let plannedKey = object(
            [
                ("key", text), ("type", oneOf(PlannedKey.KeyType.self)), ("inheritedFrom", text), ("addonId", text), ("previouslyFrom", text),
                ("previousAddonId", text),
            ],
            required: ["key", "type"]
        )
        let workloadPlan = object(
            [
                ("kind", oneOf(WorkloadKind.self)), ("id", text), ("phase", oneOf(Phase.self)), ("added", array(plannedKey)),
                ("removed", array(plannedKey)), ("changed", array(plannedKey)), ("moved", array(plannedKey)), ("warnings", texts),
            ],
            required: ["kind", "id", "phase", "added", "removed", "changed", "moved", "warnings"]
        )
        let ifMatch: JSONValue = ["type": "string", "pattern": #"^"[0-9]+"$"#, "description": "The ETag the group must still have"]
        let secretId: JSONValue = ["type": "string", "minLength": 1, "maxLength": 255]
        let addonId = string(.objectIdentifier)
        func operation(_ op: String, _ members: [(String, JSONValue)], required: [String]) -> JSONValue {
            object([("op", ["const": .string(op)])] + members, required: ["op"] + required, closed: true)
        }
        let operations: JSONValue = [
            "oneOf": [
                operation("put", [("ifMatch", ifMatch), ("body", ref("SecretGroupDefinition"))], required: ["body"]),
                operation("patch", [("secretId", secretId), ("ifMatch", ifMatch), ("body", ref("SecretGroupPatch"))], required: ["secretId", "body"]),
                operation("delete", [("secretId", secretId), ("ifMatch", ifMatch)], required: ["secretId"]),
                operation(
                    "link", [("secretId", secretId), ("addonId", addonId), ("ifMatch", ifMatch), ("body", ref("AddonLinkRequest"))],
                    required: ["secretId", "addonId", "body"]
                ),
                operation("unlink", [("secretId", secretId), ("addonId", addonId), ("ifMatch", ifMatch)], required: ["secretId", "addonId"]),
            ]
        ]
        return [
            ("Change", change),
            ("ChangeFeed", object([("revision", integer()), ("changes", array(ref("Change")))], required: ["revision", "changes"])),
            (
                "ChangeSetRequest",
                object([("operations", array(operations, maximum: 1000)), ("dryRun", boolean)], required: ["operations"], closed: true)
            ),
            (
                "ChangeSet",
                object(
                    [
                        ("revision", integer()), ("firstRevision", integer()), ("dryRun", boolean), ("changedSecrets", texts),
                        (
                            "results",
                            array(
                                object(
                                    [("op", oneOf(ChangeSetOperation.Kind.self)), ("secretId", text), ("version", integer()), ("changed", boolean)],
                                    required: ["op", "secretId", "changed"]
                                )
                            )
                        ),
                        ("plan", object([("workloads", array(workloadPlan)), ("warnings", texts)], required: ["workloads", "warnings"])),
                    ],
                    required: ["revision", "dryRun", "changedSecrets", "results", "plan"]
                )
            ),
        ]
    }()
}
