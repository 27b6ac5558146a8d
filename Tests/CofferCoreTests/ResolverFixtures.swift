import Foundation

@testable import CofferCore

/// Small builders for resolver tests: groups, workloads, addons and files with placeholder values.
enum Fixture {
    static let epoch = Timestamp(millisecondsSinceEpoch: 0)

    /// A stored group whose id derives from `name` (use slug names so the id is the name).
    static func group(
        _ name: String,
        _ secretType: SecretType = .environmentArguments,
        priority: Int,
        restrictions: Restrictions = Restrictions(),
        variables: [String: String] = [:],
        files: [String: SecretFile] = [:],
        mounts: [String: SecretFile] = [:],
        addons: [AddonDependency] = [],
        externalAddons: [AddonDependency] = []
    ) -> SecretGroup {
        let definition = SecretGroupDefinition(
            name: name,
            secretType: secretType,
            priority: priority,
            restrictions: restrictions,
            addonDependencies: addons,
            externalAddonDependencies: externalAddons,
            secrets: SecretValues(variables: variables, files: files, dockerSecretMounts: mounts)
        )
        return SecretGroup(projectId: "demo", definition: definition, version: 1, createdAt: epoch, updatedAt: epoch)
    }

    static func workload(
        _ name: String,
        kind: WorkloadKind = .service,
        tags: [String] = [],
        stageId: String? = nil,
        values: WorkloadValues = WorkloadValues()
    ) -> Workload {
        let definition = WorkloadDefinition(name: name, tags: tags, stageId: stageId, values: values)
        return Workload(kind: kind, definition: definition, version: 1, createdAt: epoch, updatedAt: epoch)
    }

    static func addon(_ name: String, kind: AddonKind = .addon, type: String = "mongodb", credentials: [String: String]) -> Addon {
        let definition = AddonDefinition(name: name, type: type, credentials: credentials)
        return Addon(kind: kind, definition: definition, version: 1, createdAt: epoch, updatedAt: epoch)
    }

    /// A restricted restriction set; everything empty unless given.
    static func restricted(
        objects: [Restrictions.Object] = [],
        tags: [String] = [],
        match: TagMatchCondition = .or,
        stageIds: [String] = []
    ) -> Restrictions {
        Restrictions(restricted: true, nfObjects: objects, tags: tags, tagMatchCondition: match, stageIds: stageIds)
    }

    /// A text file holding `text` in `encoding` (utf-8, ascii, latin1 or utf16le).
    static func file(_ text: String, _ encoding: FileEncoding = .utf8) -> SecretFile {
        let data: Data? =
            switch encoding {
            case .utf8, .ascii: Data(text.utf8)
            case .latin1: text.data(using: .isoLatin1)
            case .utf16le: text.data(using: .utf16LittleEndian)
            case .binary: Data(text.utf8)
            }
        return SecretFile(data: data!, encoding: encoding)
    }

    /// The source of a value inherited from group `id` at `priority`.
    static func source(_ id: String, _ priority: Int, addon: String? = nil) -> ValueSource {
        ValueSource(inheritedFrom: id, addonId: addon, priority: priority)
    }
}

extension Resolver {
    /// Resolves `workload` for `phase` and substitutes templates.
    func substituted(_ workload: Workload, phase: Phase = .runtime) -> Resolution {
        resolve(workload, phase: phase).substitutingTemplates()
    }
}

extension SecretFile {
    /// The bytes as UTF-8 text, for readable expectations.
    var utf8Text: String? { String(data: data, encoding: .utf8) }
}
