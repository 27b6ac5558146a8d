import Foundation

extension SecretGroupFields {
    /// Validates every member of `body` against the rules of API.md section 2, collecting every problem.
    static func read(_ body: JSONValue, known: Set<String>, reader: inout BodyReader) -> SecretGroupFields {
        var fields = SecretGroupFields()
        guard let members = reader.object(body, at: .root, known: known, ignored: readOnlyMembers) else { return fields }
        func path(_ name: String) -> JSONPath { JSONPath.root.appending(name) }

        if let value = members["name"] {
            fields.name = reader.string(value, at: path("name"), length: 3...100, pattern: .groupName)
        }
        if let value = members["description"] {
            fields.description = reader.nullable(value) { $0.string($1, at: path("description"), length: 0...200, pattern: .description) }
        }
        if let value = members["type"] { fields.type = reader.oneOf(value, at: path("type"), as: GroupType.self) }
        if let value = members["secretType"] { fields.secretType = reader.oneOf(value, at: path("secretType"), as: SecretType.self) }
        if let value = members["priority"] { fields.priority = reader.integer(value, at: path("priority"), range: 0...100) }
        if let value = members["tags"] { fields.tags = reader.array(value, at: path("tags"), element: BodyReader.slug) }
        if let value = members["stageId"] {
            fields.stageId = reader.nullable(value) { BodyReader.slug(&$0, $1, path("stageId")) }
        }
        if let value = members["restrictions"] { fields.restrictions = reader.restrictions(value, at: path("restrictions")) }
        if let value = members["addonDependencies"] {
            fields.addonDependencies = reader.array(value, at: path("addonDependencies"), element: BodyReader.addonDependency)
        }
        if let value = members["externalAddonDependencies"] {
            fields.externalAddonDependencies = reader.array(value, at: path("externalAddonDependencies"), element: BodyReader.addonDependency)
        }
        if let value = members["secrets"] { reader.secrets(value, at: path("secrets"), into: &fields) }
        return fields
    }
}

extension BodyReader {
    static let restrictionsMembers: Set<String> = ["restricted", "nfObjects", "tags", "tagMatchCondition", "stageIds"]
    static let restrictedObjectMembers: Set<String> = ["id", "type"]
    static let addonDependencyMembers: Set<String> = ["addonId", "keys"]
    static let addonKeyMembers: Set<String> = ["keyName", "aliases"]

    /// `null`, or a value read by `read`.
    mutating func nullable<Value>(_ value: JSONValue, read: (inout BodyReader, JSONValue) -> Value?) -> Nullable<Value>? {
        if value == .null { return .null }
        return read(&self, value).map { .value($0) }
    }

    /// The rule shared by `stageId`, `tags[]`, `restrictions.tags[]` and `restrictions.stageIds[]`.
    static func slug(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> String? {
        reader.string(value, at: path, length: 3...100, pattern: .slug)
    }

    mutating func restrictions(_ value: JSONValue, at path: JSONPath) -> Restrictions? {
        guard let members = object(value, at: path, known: Self.restrictionsMembers) else { return nil }
        var restrictions = Restrictions()
        var valid = true
        func keep<Value>(_ parsed: Value?, _ assign: (Value) -> Void) {
            if let parsed { assign(parsed) } else { valid = false }
        }
        if let value = members["restricted"] { keep(boolean(value, at: path.appending("restricted"))) { restrictions.restricted = $0 } }
        if let value = members["nfObjects"] {
            keep(array(value, at: path.appending("nfObjects"), element: BodyReader.restrictedObject)) { restrictions.nfObjects = $0 }
        }
        if let value = members["tags"] { keep(array(value, at: path.appending("tags"), element: BodyReader.slug)) { restrictions.tags = $0 } }
        if let value = members["tagMatchCondition"] {
            keep(oneOf(value, at: path.appending("tagMatchCondition"), as: TagMatchCondition.self)) { restrictions.tagMatchCondition = $0 }
        }
        if let value = members["stageIds"] {
            keep(array(value, at: path.appending("stageIds"), element: BodyReader.slug)) { restrictions.stageIds = $0 }
        }
        return valid ? restrictions : nil
    }

    static func restrictedObject(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> Restrictions.Object? {
        guard let members = reader.object(value, at: path, known: Self.restrictedObjectMembers) else { return nil }
        let id = reader.required(members["id"], at: path.appending("id")) { $0.string($1, at: $2, pattern: .objectIdentifier) }
        let type = reader.required(members["type"], at: path.appending("type")) { $0.oneOf($1, at: $2, as: WorkloadKind.self) }
        guard let id, let type else { return nil }
        return Restrictions.Object(id: id, type: type)
    }

    static func addonDependency(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> AddonDependency? {
        guard let members = reader.object(value, at: path, known: Self.addonDependencyMembers) else { return nil }
        let addonId = reader.required(members["addonId"], at: path.appending("addonId")) { $0.string($1, at: $2, pattern: .objectIdentifier) }
        let keys = reader.required(members["keys"], at: path.appending("keys")) { $0.array($1, at: $2, element: BodyReader.addonKey) }
        guard let addonId, let keys else { return nil }
        return AddonDependency(addonId: addonId, keys: keys)
    }

    static func addonKey(_ reader: inout BodyReader, _ value: JSONValue, _ path: JSONPath) -> AddonDependency.Key? {
        guard let members = reader.object(value, at: path, known: Self.addonKeyMembers) else { return nil }
        let keyName = reader.required(members["keyName"], at: path.appending("keyName")) { $0.string($1, at: $2, pattern: .keyName) }
        var aliases: [String]? = []
        if let value = members["aliases"] {
            aliases = reader.array(value, at: path.appending("aliases")) { $0.string($1, at: $2, pattern: .alias) }
        }
        guard let keyName, let aliases else { return nil }
        return AddonDependency.Key(keyName: keyName, aliases: aliases)
    }
}
