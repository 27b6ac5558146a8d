import CofferCore
import Foundation

/// The layouts Coffer stores, apart from the wire types: renaming a field of the API changes nothing on disk, and a
/// change of layout is a new version here with a migration, never an accident. Version 1 is the layout every store
/// has held since the first release (byte for byte what the first releases wrote, which a test checks); a later
/// version will carry a `formatVersion` field, whose absence means 1.
package enum StoredPayload {
    /// A file's bytes as base64 and the text encoding they had.
    package struct File: Codable, Hashable {
        var data: String
        var encoding: String

        init(_ file: SecretFile) {
            data = file.data.base64EncodedString()
            encoding = file.encoding.rawValue
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            data = try container.decode(String.self, forKey: .data)
            encoding = try container.decodeIfPresent(String.self, forKey: .encoding) ?? FileEncoding.utf8.rawValue
        }

        func file() throws -> SecretFile {
            guard let bytes = Data(base64Encoded: data), let encoding = FileEncoding(rawValue: encoding) else {
                throw StoreError(.corrupted, "A stored file has invalid base64 data or an unknown encoding")
            }
            return SecretFile(data: bytes, encoding: encoding)
        }
    }

    /// What a secret group seals: its variables, files and Docker build-secret mounts.
    package struct GroupValues: Codable, Hashable {
        var variables: [String: String]
        var files: [String: File]
        var dockerSecretMounts: [String: File]

        init(_ values: SecretValues) {
            variables = values.variables
            files = values.files.mapValues(File.init)
            dockerSecretMounts = values.dockerSecretMounts.mapValues(File.init)
        }

        func values() throws -> SecretValues {
            SecretValues(variables: variables, files: try files.mapValues { try $0.file() }, dockerSecretMounts: try dockerSecretMounts.mapValues { try $0.file() })
        }
    }

    /// What a service or job seals: its own runtime and build values.
    package struct WorkloadValues: Codable, Hashable {
        var runtimeEnvironment: [String: String]
        var runtimeFiles: [String: File]
        var buildArguments: [String: String]
        var buildFiles: [String: File]

        init(_ values: CofferCore.WorkloadValues) {
            runtimeEnvironment = values.runtimeEnvironment
            runtimeFiles = values.runtimeFiles.mapValues(File.init)
            buildArguments = values.buildArguments
            buildFiles = values.buildFiles.mapValues(File.init)
        }

        func values() throws -> CofferCore.WorkloadValues {
            CofferCore.WorkloadValues(
                runtimeEnvironment: runtimeEnvironment,
                runtimeFiles: try runtimeFiles.mapValues { try $0.file() },
                buildArguments: buildArguments,
                buildFiles: try buildFiles.mapValues { try $0.file() }
            )
        }
    }

    /// A group's restrictions column.
    package struct Restrictions: Codable, Hashable {
        struct Object: Codable, Hashable {
            var id: String
            var type: String
        }

        var restricted: Bool
        var nfObjects: [Object]
        var tags: [String]
        var tagMatchCondition: String
        var stageIds: [String]

        init(_ restrictions: CofferCore.Restrictions) {
            restricted = restrictions.restricted
            nfObjects = restrictions.nfObjects.map { Object(id: $0.id, type: $0.type.rawValue) }
            tags = restrictions.tags
            tagMatchCondition = restrictions.tagMatchCondition.rawValue
            stageIds = restrictions.stageIds
        }

        func restrictions() throws -> CofferCore.Restrictions {
            guard let condition = TagMatchCondition(rawValue: tagMatchCondition) else {
                throw StoreError(.corrupted, "Stored restrictions have an unknown tag match condition")
            }
            return CofferCore.Restrictions(
                restricted: restricted,
                nfObjects: try nfObjects.map { object in
                    guard let kind = WorkloadKind(rawValue: object.type) else {
                        throw StoreError(.corrupted, "Stored restrictions name an unknown workload kind")
                    }
                    return .init(id: object.id, type: kind)
                },
                tags: tags,
                tagMatchCondition: condition,
                stageIds: stageIds
            )
        }
    }

    /// One entry of a group's addon or external-addon dependency column.
    package struct Dependency: Codable, Hashable {
        struct Key: Codable, Hashable {
            var keyName: String
            var aliases: [String]
        }

        var addonId: String
        var keys: [Key]

        init(_ dependency: AddonDependency) {
            addonId = dependency.addonId
            keys = dependency.keys.map { Key(keyName: $0.keyName, aliases: $0.aliases) }
        }

        var dependency: AddonDependency {
            AddonDependency(addonId: addonId, keys: keys.map { .init(keyName: $0.keyName, aliases: $0.aliases) })
        }
    }

    // MARK: Coding

    // Each layout is written by `JSONWriter`, byte for byte what `StoredJSON.encode` (Foundation's encoder) makes of the
    // Codable types above, which read every layout back.

    package static func encode(_ values: SecretValues) throws -> Data {
        var writer = JSONWriter(capacity: 64 + values.variables.count * 48)
        writer.raw("{")
        writer.key("dockerSecretMounts", first: true)
        writer.files(values.dockerSecretMounts)
        writer.key("files")
        writer.files(values.files)
        writer.key("variables")
        writer.object(values.variables) { $0.string($1) }
        writer.raw("}")
        return Data(writer.bytes)
    }

    package static func groupValues(from data: Data) throws -> SecretValues { try StoredJSON.decode(GroupValues.self, from: data).values() }

    package static func encode(_ values: CofferCore.WorkloadValues) throws -> Data {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{")
        writer.key("buildArguments", first: true)
        writer.object(values.buildArguments) { $0.string($1) }
        writer.key("buildFiles")
        writer.files(values.buildFiles)
        writer.key("runtimeEnvironment")
        writer.object(values.runtimeEnvironment) { $0.string($1) }
        writer.key("runtimeFiles")
        writer.files(values.runtimeFiles)
        writer.raw("}")
        return Data(writer.bytes)
    }

    package static func workloadValues(from data: Data) throws -> CofferCore.WorkloadValues {
        try StoredJSON.decode(WorkloadValues.self, from: data).values()
    }

    package static func encode(_ restrictions: CofferCore.Restrictions) throws -> String {
        var writer = JSONWriter(capacity: 96)
        writer.raw("{")
        writer.key("nfObjects", first: true)
        writer.array(restrictions.nfObjects) { writer, object in
            writer.raw("{")
            writer.key("id", first: true)
            writer.string(object.id)
            writer.key("type")
            writer.string(object.type.rawValue)
            writer.raw("}")
        }
        writer.key("restricted")
        writer.boolean(restrictions.restricted)
        writer.key("stageIds")
        writer.array(restrictions.stageIds) { $0.string($1) }
        writer.key("tagMatchCondition")
        writer.string(restrictions.tagMatchCondition.rawValue)
        writer.key("tags")
        writer.array(restrictions.tags) { $0.string($1) }
        writer.raw("}")
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    package static func restrictions(from text: String) throws -> CofferCore.Restrictions {
        try StoredJSON.decode(Restrictions.self, from: text).restrictions()
    }

    package static func encode(_ dependencies: [AddonDependency]) throws -> String {
        var writer = JSONWriter(capacity: 64)
        writer.array(dependencies) { writer, dependency in
            writer.raw("{")
            writer.key("addonId", first: true)
            writer.string(dependency.addonId)
            writer.key("keys")
            writer.array(dependency.keys) { writer, key in
                writer.raw("{")
                writer.key("aliases", first: true)
                writer.array(key.aliases) { $0.string($1) }
                writer.key("keyName")
                writer.string(key.keyName)
                writer.raw("}")
            }
            writer.raw("}")
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    package static func dependencies(from text: String) throws -> [AddonDependency] {
        text.isEmpty ? [] : try StoredJSON.decode([Dependency].self, from: text).map(\.dependency)
    }

    /// Tags, and an addon's credentials, are plain string lists and maps, stored as they are.
    package static func encode(_ strings: [String]) throws -> String {
        var writer = JSONWriter(capacity: 32)
        writer.array(strings) { $0.string($1) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    package static func strings(from text: String) throws -> [String] { try StoredJSON.decode([String].self, from: text) }
    package static func encode(_ credentials: [String: String]) throws -> Data {
        var writer = JSONWriter(capacity: 256)
        writer.object(credentials) { $0.string($1) }
        return Data(writer.bytes)
    }

    package static func credentials(from data: Data) throws -> [String: String] { try StoredJSON.decode([String: String].self, from: data) }
}

extension JSONWriter {
    /// Files by path or name, each as `{"data": base64, "encoding": ...}`.
    fileprivate mutating func files(_ files: [String: SecretFile]) {
        object(files) { writer, file in
            writer.raw("{")
            writer.key("data", first: true)
            writer.string(file.data.base64EncodedString())
            writer.key("encoding")
            writer.string(file.encoding.rawValue)
            writer.raw("}")
        }
    }
}
