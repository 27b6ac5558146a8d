import CofferAPI
import CofferCore
import CofferStore
import Hummingbird

/// `POST|GET /projects/{p}/addons`, `GET|PATCH|DELETE /projects/{p}/addons/{id}`, and the same under `/external-addons`.
struct AddonsController {
    let store: any SecretStore
    let bodyParser: RequestBodyParser
    let limits: ValidationLimits
    let kind: AddonKind

    var collection: String { kind == .addon ? "addons" : "external-addons" }

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("projects/:projectId/\(collection)", use: create)
        group.get("projects/:projectId/\(collection)", use: list)
        group.get("projects/:projectId/\(collection)/:addonId", use: get)
        group.get("projects/:projectId/\(collection)/:addonId/credentials", use: credentials)
        group.patch("projects/:projectId/\(collection)/:addonId", use: patch)
        group.delete("projects/:projectId/\(collection)/:addonId", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsManage, in: store)
        let definition = try AddonDefinition(validating: try await bodyParser.json(from: request), limits: limits)
        return JSONResponse.make(DataEnvelope(data: AddonResource(try await store.createAddon(definition, kind: kind, in: scope, at: .now()))))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsRead, in: store)
        let addons = try await store.addons(kind: kind, in: scope).map(AddonSummary.init)
        return JSONResponse.make(
            PagedEnvelope(data: AddonList(kind: kind, addons: addons), pagination: Pagination(hasNextPage: false, count: addons.count))
        )
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsRead, in: store)
        let id = try context.parameters.require("addonId")
        guard let addon = try await store.addon(id: id, kind: kind, in: scope) else { throw APIError.addonNotFound(id, kind: kind) }
        // Credentials are secret values: without the permission to read those, they are null.
        return JSONResponse.make(
            DataEnvelope(data: AddonResource(addon)),
            withholdingValues: try !context.requirePrincipal().canReadValues(of: .secret)
        )
    }

    /// The credentials alone, as the reference API's `get.addon.credentials` reads them; they are secret values.
    @Sendable func credentials(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsRead, in: store)
        try context.require(.secretValuesRead)
        let id = try context.parameters.require("addonId")
        guard let addon = try await store.addon(id: id, kind: kind, in: scope) else { throw APIError.addonNotFound(id, kind: kind) }
        return JSONResponse.make(DataEnvelope(data: AddonCredentials(addon)))
    }

    /// `type`, `version` and `credentials` replace the stored ones; every linking group sees new credentials at once.
    @Sendable func patch(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsManage, in: store)
        let id = try context.parameters.require("addonId")
        let body = try await bodyParser.json(from: request)
        let limits = self.limits
        let addon = try await store.updateAddon(id: id, kind: kind, in: scope, at: .now()) { try $0.patched(with: body, limits: limits) }
        return JSONResponse.make(DataEnvelope(data: AddonResource(addon)))
    }

    /// 409 naming the groups while any group links the addon.
    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let scope = try await context.existingProject(requiring: .addonsManage, in: store)
        let id = try context.parameters.require("addonId")
        guard try await store.deleteAddon(id: id, kind: kind, in: scope) else { throw APIError.addonNotFound(id, kind: kind) }
        return JSONResponse.make(DataEnvelope(data: EmptyPayload()))
    }

}
