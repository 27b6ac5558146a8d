import CofferCore
import Foundation

/// A project's addons and external addons. Every write returns only after its change is durable and appends its audit entry
/// (actor from `AuditActor.current`) in the same transaction; a write that changes nothing appends nothing.
public protocol AddonRepository: Sendable {
    /// Creates an addon; `alreadyExists` if its derived id is taken among addons of its kind.
    func createAddon(_ definition: AddonDefinition, kind: AddonKind, in scope: ProjectScope, at now: Timestamp) async throws -> Addon
    /// The project's addons of one kind ordered by id, credentials opened.
    func addons(kind: AddonKind, in scope: ProjectScope) async throws -> [Addon]
    func addon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Addon?
    /// Reads, changes and writes one addon in one transaction (`addonNotFound`).
    func updateAddon(
        id: String,
        kind: AddonKind,
        in scope: ProjectScope,
        at now: Timestamp,
        change: @escaping @Sendable (AddonDefinition) throws -> AddonDefinition
    ) async throws -> Addon
    /// Deletes an addon; `addonInUse` naming the linking groups while any group links it; false if there was none.
    func deleteAddon(id: String, kind: AddonKind, in scope: ProjectScope) async throws -> Bool
}
