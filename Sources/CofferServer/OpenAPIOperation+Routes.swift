import CofferCore

/// Every route of the API, as the document lists it. Paths of `.api` operations are relative to `/v1` (and to
/// `/v1/teams/{teamId}` in the team form).
extension OpenAPIOperation {
    static let all: [OpenAPIOperation] =
        operations + projects + tokens + audit + secrets + links + history + changes
        + AddonKind.allCases.flatMap(addons) + WorkloadKind.allCases.flatMap(workloads)

    // MARK: - Query parameters

    static let paging: [JSONValue] = [
        query("per_page", ["type": "integer", "minimum": 1], "Items per page: default 50, more than 100 is 100"),
        query("page", ["type": "integer", "minimum": 1], "The 1-based page"),
        query("cursor", ["type": "string"], "The previous page's pagination.cursor"),
    ]
    static let cursorPaging = [paging[0], paging[2]]
    static let show = query(
        "show", OpenAPISchemas.oneOf(Resolver.Scope.self), "this: own values; inherited: from linked addons or groups; all (default): both"
    )
    static let ifMatch = header(
        "If-Match", "The ETag (\"<version>\") the group must still have; 412 and nothing changed when it has moved on",
        schema: ["type": "string", "pattern": #"^(W/)?"[0-9]{1,18}"$"#]
    )
    static let timestamp: JSONValue = ["type": "string", "format": "date-time"]
    static let eTag: (String, JSONValue) = ("ETag", ["description": "The group's current version, \"<version>\"", "schema": ["type": "string"]])
    static let waitSeconds: JSONValue = ["type": "integer", "minimum": 0, "maximum": 60]
    static let auditFilters: [JSONValue] =
        cursorPaging + [
            query("actor", ["type": "string"], "Entries by this token id"),
            query("resourceId", ["type": "string"], "Entries about this resource"),
            query("action", OpenAPISchemas.oneOf(AuditAction.self), "Entries of this action"),
            query("resourceType", OpenAPISchemas.oneOf(AuditResourceType.self), "Entries about this kind of resource"),
            query("since", timestamp, "Entries at or after this time"),
            query("until", timestamp, "Entries before this time"),
        ]

    // MARK: - Routes

    static let operations: [OpenAPIOperation] = [
        OpenAPIOperation(
            scope: .root, method: "get", path: "/v1/health", id: "getHealth", tag: .operations, summary: "Liveness: the server answers", open: true,
            answer: .data("Health")
        ),
        OpenAPIOperation(
            scope: .root, method: "get", path: "/v1/ready", id: "getReadiness", tag: .operations,
            summary: "Readiness: the store answers and the master key opened it", open: true, answer: .data("Health"), statuses: [503]
        ),
        OpenAPIOperation(
            scope: .root, method: "get", path: "/v1/openapi.json", id: "getOpenAPIDocument", tag: .operations, summary: "This document",
            open: true, answer: .content(json(["type": "object"]))
        ),
        OpenAPIOperation(
            scope: .root, method: "get", path: "/metrics", id: "getMetrics", tag: .operations,
            summary: "Prometheus metrics (with --metrics; open with --metrics-public)",
            answer: .content(["text/plain": ["schema": ["type": "string"]]])
        ),
    ]

    static let projects: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "post", path: "/projects", id: "createProject", tag: .projects, summary: "Create a project", permission: .projectsManage,
            body: "ProjectDefinition", answer: .data("Project"), statuses: [409]
        ),
        OpenAPIOperation(
            method: "get", path: "/projects", id: "listProjects", tag: .projects, summary: "List the team's projects", permission: .projectsRead,
            answer: .paged("ProjectList")
        ),
        OpenAPIOperation(
            method: "get", path: "/projects/{projectId}", id: "getProject", tag: .projects, summary: "Get a project", permission: .projectsRead,
            answer: .data("Project")
        ),
        OpenAPIOperation(
            method: "delete", path: "/projects/{projectId}", id: "deleteProject", tag: .projects,
            summary: "Delete a project with its groups, addons and workloads", permission: .projectsManage, answer: .empty
        ),
    ]

    static let tokens: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/tokens", id: "listTokens", tag: .tokens, summary: "List the team's tokens, oldest first",
            permission: .tokensManage,
            answer: .paged("TokenList")
        ),
        OpenAPIOperation(
            method: "post", path: "/tokens", id: "createToken", tag: .tokens, summary: "Create a token; its text is in this answer only",
            permission: .tokensManage, body: "TokenDefinition", answer: .data("CreatedToken")
        ),
        OpenAPIOperation(
            method: "get", path: "/tokens/{tokenId}", id: "getToken", tag: .tokens, summary: "Get a token (never its text)",
            permission: .tokensManage, answer: .data("Token")
        ),
        OpenAPIOperation(
            method: "delete", path: "/tokens/{tokenId}", id: "revokeToken", tag: .tokens, summary: "Revoke a token", permission: .tokensManage,
            answer: .data("Token")
        ),
    ]

    static let audit: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/projects/{projectId}/audit", id: "listProjectAudit", tag: .audit,
            summary: "The project's audit entries, oldest first (who, when, what changed; never a value)", permission: .auditRead,
            parameters: auditFilters, answer: .paged("AuditEntryList")
        ),
        OpenAPIOperation(
            method: "get", path: "/audit", id: "listTeamAudit", tag: .audit, summary: "The team's audit entries, projects' and tokens'",
            permission: .tokensManage, parameters: auditFilters, answer: .paged("AuditEntryList")
        ),
    ]

    static let secrets: [OpenAPIOperation] = {
        let list = "/projects/{projectId}/secrets"
        let item = list + "/{secretId}"
        return [
            OpenAPIOperation(
                method: "get", path: list, id: "listSecrets", tag: .secrets, summary: "List the project's groups by id, without values",
                permission: .secretGroupsList,
                parameters: paging + [query("asOf", timestamp, "List the groups as they were at this time (from their history)")],
                answer: .paged("SecretGroupList")
            ),
            OpenAPIOperation(
                method: "post", path: list, id: "createSecret", tag: .secrets, summary: "Create a group; 409 when its derived id exists",
                permission: .secretGroupsCreate, body: "SecretGroupDefinition", answer: .data("SecretGroup"), statuses: [409],
                answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "put", path: list, id: "putSecret", tag: .secrets,
                summary: "Create the group, or replace the stored definition of the group with its id", permission: .secretGroupsCreate,
                parameters: [ifMatch], body: "SecretGroupDefinition", answer: .data("SecretGroup"), statuses: [412], answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "get", path: item, id: "getSecret", tag: .secrets,
                summary: "Get a group with its values (null without the value permission of its type)", permission: .secretGroupsRead,
                parameters: [show], answer: .data("SecretGroup"), answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "get", path: item + "/details", id: "getSecretDetails", tag: .secrets,
                summary: "Get a group with the values its linked addons contribute and why a link contributes nothing",
                permission: .secretGroupsRead, answer: .data("SecretGroupDetails")
            ),
            OpenAPIOperation(
                method: "patch", path: item, id: "patchSecret", tag: .secrets,
                summary: "Replace the fields given (each secrets sub-map given replaces that sub-map)", permission: .secretGroupsUpdate,
                parameters: [ifMatch], body: "SecretGroupPatch", answer: .data("SecretGroup"), statuses: [412], answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "post", path: item, id: "updateSecret", tag: .secrets, summary: "As PATCH, without tags and stageId; answers no group",
                permission: .secretGroupsUpdate, parameters: [ifMatch], body: "SecretGroupUpdate", answer: .empty, statuses: [412],
                answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "delete", path: item, id: "deleteSecret", tag: .secrets, summary: "Delete a group (its history is kept)",
                permission: .secretGroupsDelete, parameters: [ifMatch], answer: .empty, statuses: [412]
            ),
        ]
    }()

    static let links: [OpenAPIOperation] = {
        let path = "/projects/{projectId}/secrets/{secretId}/addons/{addonId}"
        return [
            OpenAPIOperation(
                method: "get", path: path, id: "getSecretAddonLink", tag: .links, summary: "Whether and how the group links the addon",
                permission: .secretGroupsRead, answer: .data("AddonLink"), answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "post", path: path, id: "linkSecretAddon", tag: .links, summary: "Link the addon's keys, or replace the linked keys",
                permission: .secretGroupsUpdate, parameters: [ifMatch], body: "AddonLinkRequest", answer: .data("LinkedKeys"), statuses: [412],
                answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "delete", path: path, id: "unlinkSecretAddon", tag: .links, summary: "Remove the link", permission: .secretGroupsUpdate,
                parameters: [ifMatch], answer: .empty, statuses: [412], answerHeaders: [eTag]
            ),
        ]
    }()

    static let history: [OpenAPIOperation] = {
        let item = "/projects/{projectId}/secrets/{secretId}"
        let version: JSONValue = ["type": "integer", "minimum": 0, "maximum": 2_147_483_647]
        return [
            OpenAPIOperation(
                method: "get", path: item + "/versions", id: "listSecretVersions", tag: .history,
                summary: "The group's versions, newest first, without values (also of a deleted group)", permission: .secretGroupsRead,
                parameters: cursorPaging, answer: .paged("GroupVersionList")
            ),
            OpenAPIOperation(
                method: "get", path: item + "/versions/{version}", id: "getSecretVersion", tag: .history,
                summary: "The group as it was at a version, values withheld as in getSecret", permission: .secretGroupsRead,
                answer: .data("SecretGroupVersion"), answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "get", path: item + "/diff", id: "diffSecretVersions", tag: .history,
                summary: "What differs between two versions: key names, or with showValues=true values too", permission: .secretGroupsRead,
                parameters: [
                    query("from", version, "The older version (default: to - 1)"), query("to", version, "The newer version (default: current)"),
                    query("showValues", ["type": "boolean"], "Each changed entry with its values (needs the value permission of both)"),
                ],
                answer: .data("GroupDiff")
            ),
            OpenAPIOperation(
                method: "post", path: item + "/rollback", id: "rollbackSecret", tag: .history,
                summary: "Make the group what it was at a version, as a new version", permission: .secretGroupsUpdate, parameters: [ifMatch],
                body: "RollbackRequest", answer: .data("SecretGroup"), statuses: [412], answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "post", path: item + "/restore", id: "restoreSecret", tag: .history,
                summary: "Bring a deleted group back as its last version; 409 if one with its id exists", permission: .secretGroupsCreate,
                answer: .data("SecretGroup"), statuses: [409], answerHeaders: [eTag]
            ),
            OpenAPIOperation(
                method: "post", path: "/projects/{projectId}/restore", id: "restoreProject", tag: .history,
                summary: "Put every group back as it was at a time, in one transaction (or plan it with dryRun)",
                permission: .secretGroupsUpdate, body: "ProjectRestoreRequest", answer: .data("ProjectRestore")
            ),
        ]
    }()

    static let changes: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/projects/{projectId}/changes", id: "listChanges", tag: .changes,
            summary: "The project's changes after a revision, waiting for one if asked; Server-Sent Events with Accept: text/event-stream",
            permission: .secretGroupsList,
            parameters: [
                query(
                    "since", ["type": "integer", "minimum": 0, "maximum": 9_223_372_036_854_775_807],
                    "Changes after this revision; without it, the current revision and no changes"
                ),
                query("wait", waitSeconds, "Seconds to wait for a change when there is none yet (default 0)"),
                query("per_page", ["type": "integer", "minimum": 1], "Changes per answer (default 100)"),
                header("Last-Event-ID", "For the event stream: resume after this revision", schema: ["type": "string", "pattern": "^[0-9]+$"]),
            ],
            answer: .content([
                "application/json": [
                    "schema": OpenAPISchemas.object(
                        [("data", OpenAPISchemas.ref("ChangeFeed")), ("pagination", OpenAPISchemas.ref("Pagination"))],
                        required: ["data", "pagination"]
                    )
                ],
                "text/event-stream": ["schema": ["type": "string", "description": "id: <revision>, event: change, data: <Change JSON>"]],
            ]),
            statuses: [410]
        ),
        OpenAPIOperation(
            method: "post", path: "/projects/{projectId}/change-sets", id: "applyChangeSet", tag: .changeSets,
            summary: "Apply operations on groups in one transaction, all or none, with the plan of what workloads see (or plan only)",
            body: "ChangeSetRequest", answer: .data("ChangeSet"), statuses: [409, 412]
        ),
    ]

    static func addons(_ kind: AddonKind) -> [OpenAPIOperation] {
        let external = kind == .external
        let list = external ? "/projects/{projectId}/external-addons" : "/projects/{projectId}/addons"
        let item = list + "/{addonId}"
        let noun = external ? "ExternalAddon" : "Addon"
        let tag: Tag = external ? .externalAddons : .addons
        return [
            OpenAPIOperation(
                method: "post", path: list, id: "create\(noun)", tag: tag, summary: "Register an addon with its credentials",
                permission: .addonsManage, body: "AddonDefinition", answer: .data("Addon"), statuses: [409]
            ),
            OpenAPIOperation(
                method: "get", path: list, id: "list\(noun)s", tag: tag, summary: "List the project's addons, without credentials",
                permission: .addonsRead, answer: .paged(external ? "ExternalAddonList" : "AddonList")
            ),
            OpenAPIOperation(
                method: "get", path: item, id: "get\(noun)", tag: tag, summary: "Get an addon with its credentials", permission: .addonsRead,
                answer: .data("Addon")
            ),
            OpenAPIOperation(
                method: "get", path: item + "/credentials", id: "get\(noun)Credentials", tag: tag,
                summary: "The addon's credentials in the reference API's shape", permission: .addonsRead, answer: .data("AddonCredentials")
            ),
            OpenAPIOperation(
                method: "patch", path: item, id: "patch\(noun)", tag: tag,
                summary: "Change the addon's type, version or credentials (every linking group sees them at once)", permission: .addonsManage,
                body: "AddonPatch", answer: .data("Addon")
            ),
            OpenAPIOperation(
                method: "delete", path: item, id: "delete\(noun)", tag: tag, summary: "Delete an addon; 409 while a group links it",
                permission: .addonsManage, answer: .empty, statuses: [409]
            ),
        ]
    }

    static func workloads(_ kind: WorkloadKind) -> [OpenAPIOperation] {
        let list = kind == .service ? "/projects/{projectId}/services" : "/projects/{projectId}/jobs"
        let item = list + "/{workloadId}"
        let noun = kind == .service ? "Service" : "Job"
        let tag: Tag = kind == .service ? .services : .jobs
        let read: Permission = kind == .service ? .servicesRead : .jobsRead
        let update: Permission = kind == .service ? .servicesUpdate : .jobsUpdate
        let conditional: [JSONValue] = [
            show, query("replaceTemplatedValues", ["type": "boolean"], "Substitute ${NAME} references"),
            query("wait", waitSeconds, "With If-None-Match: seconds to wait until the content changes"),
            header("If-None-Match", "An ETag of an earlier answer: 304 while the content is the same"),
        ]
        let contentTag: (String, JSONValue) = (
            "ETag", ["description": "Changes exactly when the answer's content does", "schema": ["type": "string"]]
        )
        var operations = [
            OpenAPIOperation(
                method: "post", path: list, id: "create\(noun)", tag: tag, summary: "Create a \(kind.rawValue) with its own values",
                permission: update, body: "WorkloadDefinition", answer: .data("Workload"), statuses: [409]
            ),
            OpenAPIOperation(
                method: "get", path: list, id: "list\(noun)s", tag: tag, summary: "List the project's \(kind.rawValue)s, without values",
                permission: read, answer: .paged(kind == .service ? "ServiceList" : "JobList")
            ),
            OpenAPIOperation(
                method: "get", path: item, id: "get\(noun)", tag: tag, summary: "Get a \(kind.rawValue) with its own values", permission: read,
                answer: .data("Workload")
            ),
            OpenAPIOperation(
                method: "patch", path: item, id: "patch\(noun)", tag: tag, summary: "Replace the fields given", permission: update,
                body: "WorkloadPatch", answer: .data("Workload")
            ),
            OpenAPIOperation(
                method: "delete", path: item, id: "delete\(noun)", tag: tag, summary: "Delete a \(kind.rawValue)", permission: update, answer: .empty
            ),
        ]
        for phase in Phase.allCases {
            let runtime = phase == .runtime
            let path = item + (runtime ? "/runtime-environment" : "/build-arguments")
            let name = noun + (runtime ? "RuntimeEnvironment" : "BuildArguments")
            let words = runtime ? "runtime environment" : "build arguments"
            operations += [
                OpenAPIOperation(
                    method: "get", path: path, id: "get\(name)", tag: tag,
                    summary: "The effective \(words): groups merged by priority, then the \(kind.rawValue)'s own values", permission: read,
                    parameters: conditional, answer: .data(runtime ? "RuntimeEnvironment" : "BuildArguments"), statuses: [304],
                    answerHeaders: [contentTag]
                ),
                OpenAPIOperation(
                    method: "post", path: path, id: "set\(name)", tag: tag, summary: "Set the \(kind.rawValue)'s own \(words)", permission: update,
                    body: runtime ? "RuntimeEnvironmentInput" : "BuildArgumentsInput", answer: .empty
                ),
                OpenAPIOperation(
                    method: "get", path: path + "/details", id: "get\(name)Details", tag: tag,
                    summary: "Every key of the effective \(words) with its source and what it shadows, and the warnings", permission: read,
                    answer: .data(runtime ? "RuntimeEnvironmentDetails" : "BuildArgumentsDetails")
                ),
            ]
        }
        operations += [
            OpenAPIOperation(
                method: "get", path: item + "/runtime-environment/values", id: "get\(noun)RuntimeValues", tag: tag,
                summary: "The effective runtime variables as flat strings, templates resolved (External Secrets Operator, $.data)",
                permission: read, answer: .data("EnvironmentValues")
            ),
            OpenAPIOperation(
                method: "get", path: item + "/runtime-environment/values/{key}", id: "get\(noun)RuntimeValue", tag: tag,
                summary: "One effective runtime variable (External Secrets Operator, $.data.value); 404 for a key it does not have",
                permission: read, answer: .data("EnvironmentValue")
            ),
        ]
        return operations
    }
}
