import CofferCore
import CofferCrypto
import Foundation

/// Turns records into rows and back, above every driver: values are sealed with the project's data key for the
/// record's id and version (the associated data), metadata goes into plain columns as `StoredPayload` JSON.
public final class RecordCodec: Sendable {
    package let keyring: LiveKeyring
    package let dataKeys = DataKeyCache()
    package let openedGroups = OpenedGroups()

    package init(keyring: LiveKeyring) {
        self.keyring = keyring
    }

    // MARK: Keys

    /// The project's keys from its loaded row, nil if the project does not exist.
    package func keys(_ project: (row: ProjectRow, dataKeys: [DataKeyRow])?) -> SealingKeys? {
        guard let project else { return nil }
        return SealingKeys(
            scope: project.row.scope,
            currentGeneration: project.row.dataKeyGeneration,
            wrapped: Dictionary(project.dataKeys.map { ($0.generation, $0) }, uniquingKeysWith: { first, _ in first }),
            codec: self
        )
    }

    /// The project's keys, `projectNotFound` if it does not exist.
    package func requireKeys(_ rows: LoadedRows, _ scope: ProjectScope) throws -> SealingKeys {
        guard let keys = keys(rows.project(scope)) else { throw StoreError.projectNotFound(scope) }
        return keys
    }

    /// One generation of a project's data key, unwrapped by the master key its row names.
    package func dataKey(_ row: DataKeyRow) throws -> DataKey {
        try dataKeys.key(for: row.scope, generation: row.generation, wrapped: row.wrapped, masterKeyID: row.masterKeyID) {
            let masterKey = try keyring.key(id: row.masterKeyID)
            do {
                return try masterKey.unwrap(row.wrapped, context: row.wrapContext)
            } catch {
                throw StoreError.dataKeyUnreadable(row.scope, generation: row.generation, masterKeyID: row.masterKeyID)
            }
        }
    }

    /// A fresh data key for `generation` of the project, wrapped by the master key the store records as primary (the
    /// ring's primary in a new store; the two differ while another process rotates the master key).
    package func newDataKey(for scope: ProjectScope, generation: Int, wrappingKeyID: String?) throws -> DataKeyRow {
        let masterKey = try keyring.key(id: wrappingKeyID ?? keyring.ring.primary.id)
        var row = DataKeyRow(scope: scope, generation: generation, wrapped: Data(), masterKeyID: masterKey.id)
        row.wrapped = try masterKey.wrap(DataKey.generate(), context: row.wrapContext)
        return row
    }

    /// The data key re-wrapped under `masterKey`.
    package func rewrapped(_ row: DataKeyRow, under masterKey: MasterKey) throws -> DataKeyRow {
        var row = row
        row.wrapped = try masterKey.wrap(try dataKey(row), context: row.wrapContext)
        row.masterKeyID = masterKey.id
        return row
    }

    // MARK: Secret groups

    package func row(of group: SecretGroup, in scope: ProjectScope, keys: SealingKeys) throws -> GroupRow {
        let definition = group.definition
        let row = try sealing(try StoredPayload.encode(definition.secrets), into: GroupRow(
            scope: scope, id: group.id, name: definition.name, description: definition.description, type: definition.type.rawValue,
            secretType: definition.secretType.rawValue, priority: definition.priority, tags: try StoredPayload.encode(definition.tags),
            stageId: definition.stageId, restrictions: try StoredPayload.encode(definition.restrictions),
            addonDependencies: try StoredPayload.encode(definition.addonDependencies),
            externalAddonDependencies: try StoredPayload.encode(definition.externalAddonDependencies), sealedValues: Data(),
            dataKeyGeneration: keys.currentGeneration, version: group.version, createdAt: group.createdAt.millisecondsSinceEpoch,
            updatedAt: group.updatedAt.millisecondsSinceEpoch
        ), keys: keys)
        openedGroups.remember(group, in: scope, sealed: row.sealedValues)
        return row
    }

    /// The group a row holds: the current row's, or with `recorded` a version's (kept opened apart, so reading history
    /// does not push the current rows out).
    package func group(_ row: GroupRow, keys: SealingKeys, recorded: Bool = false) throws -> SecretGroup {
        let version = recorded ? row.version : nil
        if let opened = openedGroups.group(id: row.id, in: row.scope, sealed: row.sealedValues, version: version) { return opened }
        let plaintext = try opening(row, keys: keys)
        let group = SecretGroup(
            projectId: row.scope.projectId,
            definition: try definition(row, secrets: try StoredPayload.groupValues(from: plaintext)),
            version: row.version,
            createdAt: Timestamp(millisecondsSinceEpoch: row.createdAt),
            updatedAt: Timestamp(millisecondsSinceEpoch: row.updatedAt)
        )
        openedGroups.remember(group, in: row.scope, sealed: row.sealedValues, version: version)
        return group
    }

    /// A definition from a row's metadata; a summary row's empty dependency columns give empty lists.
    package func definition(_ row: GroupRow, secrets: SecretValues) throws -> SecretGroupDefinition {
        guard let type = GroupType(rawValue: row.type), let secretType = SecretType(rawValue: row.secretType) else {
            throw StoreError(.corrupted, "Secret group '\(row.id)' has an unknown type")
        }
        return SecretGroupDefinition(
            name: row.name,
            description: row.description,
            type: type,
            secretType: secretType,
            priority: row.priority,
            tags: try StoredPayload.strings(from: row.tags),
            stageId: row.stageId,
            restrictions: try StoredPayload.restrictions(from: row.restrictions),
            addonDependencies: try StoredPayload.dependencies(from: row.addonDependencies),
            externalAddonDependencies: try StoredPayload.dependencies(from: row.externalAddonDependencies),
            secrets: secrets
        )
    }

    package func summary(_ row: GroupRow) throws -> SecretGroupSummary {
        SecretGroupSummary(projectId: row.scope.projectId, definition: try definition(row, secrets: SecretValues()))
    }

    // MARK: Addons

    package func row(of addon: Addon, in scope: ProjectScope, keys: SealingKeys) throws -> AddonRow {
        let row = AddonRow(
            scope: scope, kind: addon.kind.rawValue, id: addon.id, name: addon.definition.name, type: addon.definition.type,
            versionLabel: addon.definition.version, sealedCredentials: Data(), dataKeyGeneration: keys.currentGeneration,
            version: addon.version, createdAt: addon.createdAt.millisecondsSinceEpoch, updatedAt: addon.updatedAt.millisecondsSinceEpoch
        )
        return try sealing(try StoredPayload.encode(addon.definition.credentials), into: row, keys: keys)
    }

    package func addon(_ row: AddonRow, keys: SealingKeys) throws -> Addon {
        guard let kind = AddonKind(rawValue: row.kind) else { throw StoreError(.corrupted, "Addon '\(row.id)' has an unknown kind") }
        let plaintext = try opening(row, keys: keys)
        return Addon(
            kind: kind,
            definition: AddonDefinition(
                name: row.name, type: row.type, version: row.versionLabel,
                credentials: try StoredPayload.credentials(from: plaintext)
            ),
            version: row.version,
            createdAt: Timestamp(millisecondsSinceEpoch: row.createdAt),
            updatedAt: Timestamp(millisecondsSinceEpoch: row.updatedAt)
        )
    }

    // MARK: Workloads

    package func row(of workload: Workload, in scope: ProjectScope, keys: SealingKeys) throws -> WorkloadRow {
        let row = WorkloadRow(
            scope: scope, kind: workload.kind.rawValue, id: workload.id, name: workload.definition.name,
            tags: try StoredPayload.encode(workload.definition.tags), stageId: workload.definition.stageId, sealedValues: Data(),
            dataKeyGeneration: keys.currentGeneration, version: workload.version, createdAt: workload.createdAt.millisecondsSinceEpoch,
            updatedAt: workload.updatedAt.millisecondsSinceEpoch
        )
        return try sealing(try StoredPayload.encode(workload.definition.values), into: row, keys: keys)
    }

    package func workload(_ row: WorkloadRow, keys: SealingKeys) throws -> Workload {
        guard let kind = WorkloadKind(rawValue: row.kind) else { throw StoreError(.corrupted, "A workload has an unknown kind") }
        let plaintext = try opening(row, keys: keys)
        return Workload(
            kind: kind,
            definition: WorkloadDefinition(
                name: row.name,
                tags: try StoredPayload.strings(from: row.tags),
                stageId: row.stageId,
                values: try StoredPayload.workloadValues(from: plaintext)
            ),
            version: row.version,
            createdAt: Timestamp(millisecondsSinceEpoch: row.createdAt),
            updatedAt: Timestamp(millisecondsSinceEpoch: row.updatedAt)
        )
    }
}
