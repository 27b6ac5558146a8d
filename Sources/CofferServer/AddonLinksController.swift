import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `GET|POST|DELETE /projects/{p}/secrets/{secretId}/addons/{addonId}`: one group's link to one addon.
struct AddonLinksController {
    let store: any SecretStore
    let bodyParser: RequestBodyParser

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("projects/:projectId/secrets/:secretId/addons/:addonId", use: get)
        group.post("projects/:projectId/secrets/:secretId/addons/:addonId", use: link)
        group.delete("projects/:projectId/secrets/:secretId/addons/:addonId", use: unlink)
    }

    /// Whether the group links the addon, with which keys, and which keys it could link; 404 for an unknown addon.
    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let (scope, secretId, addonId) = try await address(context, requiring: .secretGroupsRead)
        guard let group = try await store.group(id: secretId, in: scope) else { throw APIError.secretNotFound(secretId) }
        guard let addon = try await store.addon(id: addonId, kind: .addon, in: scope) else { throw APIError.addonNotFound(addonId, kind: .addon) }
        return JSONResponse.make(DataEnvelope(data: AddonLinkResource(group: group, addon: addon)), headers: SecretGroupsController.eTag(group))
    }

    /// Creates the link or replaces its keys. The addon need not exist yet: the link waits for it, and the group's
    /// details warn until it does.
    @Sendable func link(_ request: Request, context: APIContext) async throws -> Response {
        let (scope, secretId, addonId) = try await address(context, requiring: .secretGroupsUpdate)
        try Self.validate(addonId: addonId)
        let link = try AddonLink(validating: try await bodyParser.json(from: request))
        let principal = try context.requirePrincipal()
        let (group, _) = try await store.updateGroup(id: secretId, in: scope, at: .now(), expectedVersion: try request.expectedVersion()) {
            try SecretGroupsController.requireValues(of: $0, principal: principal)
            return $0.linking(addonId: addonId, keys: link.keys)
        }
        let keys = link.keys.map { LinkedKey(addonId: addonId, key: $0) }
        return JSONResponse.make(DataEnvelope(data: LinkedKeys(keys: keys)), headers: SecretGroupsController.eTag(group))
    }

    /// Removes the link; 404 when the group does not link the addon.
    @Sendable func unlink(_ request: Request, context: APIContext) async throws -> Response {
        let (scope, secretId, addonId) = try await address(context, requiring: .secretGroupsUpdate)
        let principal = try context.requirePrincipal()
        let (group, _) = try await store.updateGroup(id: secretId, in: scope, at: .now(), expectedVersion: try request.expectedVersion()) {
            try SecretGroupsController.requireValues(of: $0, principal: principal)
            guard $0.links(addonId: addonId, kind: .addon) else {
                throw APIError(.notFound, "Secret '\(secretId)' does not link addon '\(addonId)'")
            }
            return $0.unlinking(addonId: addonId)
        }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()), headers: SecretGroupsController.eTag(group))
    }

    func address(_ context: APIContext, requiring permission: Permission) async throws -> (ProjectScope, String, String) {
        let scope = try await context.existingProject(requiring: permission, in: store)
        return (scope, try context.parameters.require("secretId"), try context.parameters.require("addonId"))
    }

    /// The path's addon id follows the same rule as `addonDependencies[].addonId`.
    static func validate(addonId: String) throws {
        guard Pattern.objectIdentifier.matches(addonId) else {
            throw APIError(.badRequest, "Invalid addon id in the path", details: ["addonId": ["must match \(Pattern.objectIdentifier.source)"]])
        }
    }
}
