import CofferCore
import Foundation

extension JSONWriter {
    /// `{"data": group}`, as `DataEnvelope(data: group)` encodes, values `null` when `withholdingValues`.
    public static func envelope(_ group: SecretGroupResource, withholdingValues: Bool = false) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw(#"{"data":"#)
        writer.write(group, withholdingValues: withholdingValues)
        writer.raw("}")
        return writer.bytes
    }

    /// `{"data": group + "version"}`, as `DataEnvelope(data: SecretGroupVersionResource(...))` encodes.
    public static func envelope(_ version: SecretGroupVersionResource, withholdingValues: Bool = false) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw(#"{"data":"#)
        writer.write(version.group, withholdingValues: withholdingValues, version: version.version)
        writer.raw("}")
        return writer.bytes
    }

    mutating func write(_ group: SecretGroupResource, withholdingValues: Bool, version: Int? = nil) {
        raw("{")
        key("addonDependencies", first: true)
        array(group.addonDependencies) { $0.write($1) }
        key("createdAt")
        string(group.createdAt.rfc3339)
        if let description = group.description {
            key("description")
            string(description)
        }
        key("externalAddonDependencies")
        array(group.externalAddonDependencies) { $0.write($1) }
        key("id")
        string(group.id)
        key("name")
        string(group.name)
        key("priority")
        integer(group.priority)
        key("projectId")
        string(group.projectId)
        key("restrictions")
        write(group.restrictions)
        key("secretType")
        string(group.secretType.rawValue)
        key("secrets")
        write(group.secrets, withholdingValues: withholdingValues)
        if let stageId = group.stageId {
            key("stageId")
            string(stageId)
        }
        key("tags")
        array(group.tags) { $0.string($1) }
        key("type")
        string(group.type.rawValue)
        key("updatedAt")
        string(group.updatedAt.rfc3339)
        if let version {
            key("version")
            integer(version)
        }
        raw("}")
    }

    mutating func write(_ dependency: AddonDependency) {
        raw("{")
        key("addonId", first: true)
        string(dependency.addonId)
        key("keys")
        array(dependency.keys) { writer, key in
            writer.raw("{")
            writer.key("aliases", first: true)
            writer.array(key.aliases) { $0.string($1) }
            writer.key("keyName")
            writer.string(key.keyName)
            writer.raw("}")
        }
        raw("}")
    }

    mutating func write(_ restrictions: Restrictions) {
        raw("{")
        key("nfObjects", first: true)
        array(restrictions.nfObjects) { writer, object in
            writer.raw("{")
            writer.key("id", first: true)
            writer.string(object.id)
            writer.key("type")
            writer.string(object.type.rawValue)
            writer.raw("}")
        }
        key("restricted")
        boolean(restrictions.restricted)
        key("stageIds")
        array(restrictions.stageIds) { $0.string($1) }
        key("tagMatchCondition")
        string(restrictions.tagMatchCondition.rawValue)
        key("tags")
        array(restrictions.tags) { $0.string($1) }
        raw("}")
    }

    mutating func write(_ secrets: SecretValues, withholdingValues: Bool) {
        let file: (inout JSONWriter, SecretFile) -> Void = { writer, file in
            writer.raw("{")
            writer.key("data", first: true)
            if withholdingValues { writer.raw("null") } else { writer.string(file.data.base64EncodedString()) }
            writer.key("encoding")
            writer.string(file.encoding.rawValue)
            writer.raw("}")
        }
        raw("{")
        key("dockerSecretMounts", first: true)
        object(secrets.dockerSecretMounts, file)
        key("files")
        object(secrets.files, file)
        key("variables")
        object(secrets.variables) { writer, value in
            if withholdingValues { writer.raw("null") } else { writer.string(value) }
        }
        raw("}")
    }
}
