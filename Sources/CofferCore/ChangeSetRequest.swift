import Foundation

/// The body of `POST /v1/projects/{p}/change-sets`: operations applied in order as one transaction, or only planned.
/// Each operation is validated by its single route's rules; a broken one fails the whole set, and its errors are keyed
/// `operations[i]...` (a body's own paths below `operations[i].body`).
public struct ChangeSetRequest: Sendable, Hashable {
    /// Most operations in one change set.
    public static let maximumOperations = 1000

    public var operations: [ChangeSetOperation]
    public var dryRun: Bool

    public init(operations: [ChangeSetOperation], dryRun: Bool = false) {
        self.operations = operations
        self.dryRun = dryRun
    }

    /// The envelope (`operations`, `dryRun`) and every operation's own rules: the errors of the first operation that
    /// breaks a rule, which is the one the answer names. `authorize` sees each operation's index and kind as soon as its
    /// `op` is read, before its other members, as a single route checks its permission before its body; what it throws
    /// ends the reading.
    public init(
        validating body: JSONValue,
        limits: ValidationLimits = ValidationLimits(),
        authorize: (_ index: Int, _ kind: ChangeSetOperation.Kind) throws -> Void = { _, _ in }
    ) throws {
        var reader = BodyReader(limits: limits)
        guard let members = reader.object(body, at: .root, known: ["operations", "dryRun"]) else { throw reader.errors }
        let dryRun = members["dryRun"].map { reader.boolean($0, at: JSONPath.root.appending("dryRun")) } ?? false
        let path = JSONPath.root.appending("operations")
        guard let list = reader.required(members["operations"], at: path, read: { reader, value, path -> [JSONValue]? in
            guard case .array(let values) = value else {
                reader.errors.add("must be an array", at: path)
                return nil
            }
            if values.isEmpty { reader.errors.add("must hold at least one operation", at: path) }
            if values.count > Self.maximumOperations { reader.errors.add("must hold at most \(Self.maximumOperations) operations", at: path) }
            return values
        })
        else { throw reader.errors }
        guard reader.errors.isEmpty, let dryRun else { throw reader.errors }
        var operations: [ChangeSetOperation] = []
        operations.reserveCapacity(list.count)
        for (index, value) in list.enumerated() {
            operations.append(
                try ChangeSetOperation(validating: value, at: path.appending(index: index), limits: limits) { try authorize(index, $0) }
            )
        }
        self.init(operations: operations, dryRun: dryRun)
    }
}

/// One operation of a change set, with the semantics of its single route.
public struct ChangeSetOperation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// `PUT /secrets`: create or replace the group the body's name derives.
        case put
        /// `PATCH /secrets/{id}`.
        case patch
        /// `DELETE /secrets/{id}`.
        case delete
        /// `POST /secrets/{id}/addons/{addonId}`.
        case link
        /// `DELETE /secrets/{id}/addons/{addonId}`.
        case unlink
    }

    public enum Change: Sendable, Hashable {
        case put(SecretGroupDefinition)
        case patch(SecretGroupPatch)
        case delete
        case link(addonId: String, keys: [AddonDependency.Key])
        case unlink(addonId: String)
    }

    /// The group the operation addresses (for a put, the id its name derives).
    public var secretId: String
    public var change: Change
    /// The version `ifMatch` demands of the group as it was before the change set (0: it must not exist).
    public var expectedVersion: Int?

    public init(secretId: String, change: Change, expectedVersion: Int? = nil) {
        self.secretId = secretId
        self.change = change
        self.expectedVersion = expectedVersion
    }

    public var kind: Kind {
        switch change {
        case .put: .put
        case .patch: .patch
        case .delete: .delete
        case .link: .link
        case .unlink: .unlink
        }
    }

    /// `{op, secretId?, addonId?, ifMatch?, body?}` at `path`, with the members each `op` takes.
    init(validating value: JSONValue, at path: JSONPath, limits: ValidationLimits, authorize: (Kind) throws -> Void) throws {
        var reader = BodyReader(limits: limits)
        guard case .object(let raw) = value else { throw ValidationError("must be an object", at: path) }
        guard let opValue = raw.first(where: { $0.0 == "op" })?.1 else { throw ValidationError("is required", at: path.appending("op")) }
        guard let kind = reader.oneOf(opValue, at: path.appending("op"), as: Kind.self) else { throw reader.errors }
        try authorize(kind)
        let known: Set<String> =
            switch kind {
            case .put: ["op", "ifMatch", "body"]
            case .patch: ["op", "secretId", "ifMatch", "body"]
            case .delete: ["op", "secretId", "ifMatch"]
            case .link: ["op", "secretId", "addonId", "ifMatch", "body"]
            case .unlink: ["op", "secretId", "addonId", "ifMatch"]
            }
        guard let members = reader.object(value, at: path, known: known) else { throw reader.errors }
        let expectedVersion = members["ifMatch"].flatMap { value -> Int? in
            let ifMatch = path.appending("ifMatch")
            guard let tag = reader.string(value, at: ifMatch) else { return nil }
            guard let version = Self.version(inEntityTag: tag) else {
                reader.errors.add(#"must be an entity tag such as "3" or W/"3", as a group's ETag header gives it"#, at: ifMatch)
                return nil
            }
            return version
        }
        let secretId = known.contains("secretId")
            ? reader.required(members["secretId"], at: path.appending("secretId")) { $0.string($1, at: $2, length: 1...255) } : nil
        let addonId = known.contains("addonId")
            ? reader.required(members["addonId"], at: path.appending("addonId")) { $0.string($1, at: $2, pattern: .objectIdentifier) } : nil
        let bodyPath = path.appending("body")
        let body = kind != .delete && kind != .unlink ? reader.required(members["body"], at: bodyPath) { _, value, _ in value } : nil
        guard reader.errors.isEmpty else { throw reader.errors }
        let change: Change
        do {
            change = try Self.change(kind, body: body ?? .null, addonId: addonId ?? "", limits: limits)
        } catch {
            throw error.nested(under: bodyPath)
        }
        var id = secretId ?? ""
        if case .put(let definition) = change { id = definition.id }
        self.init(secretId: id, change: change, expectedVersion: expectedVersion)
    }

    /// The change an operation of `kind` makes, from its body (read by its single route's rules) and addon id.
    private static func change(_ kind: Kind, body: JSONValue, addonId: String, limits: ValidationLimits) throws(ValidationError) -> Change {
        switch kind {
        case .put: .put(try SecretGroupDefinition(validating: body, limits: limits))
        case .patch: .patch(try SecretGroupPatch(validating: body, form: .patch, limits: limits))
        case .delete: .delete
        case .link: .link(addonId: addonId, keys: try AddonLink(validating: body).keys)
        case .unlink: .unlink(addonId: addonId)
        }
    }

    /// The version an entity tag names: `"3"` or `W/"3"` (a group's `ETag`); nil for anything else. The `If-Match`
    /// header of the single routes is read with it too.
    public static func version(inEntityTag text: String) -> Int? {
        var tag = text.trimmingCharacters(in: .whitespaces)
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"", let version = Int(tag.dropFirst().dropLast()), version >= 0 else { return nil }
        return version
    }
}

/// One operation's result: the group's version once the whole set is applied (for a deleted group, the version that
/// records the delete; nil for a group absent before and after), and whether this operation changed anything.
public struct ChangeSetResult: Sendable, Hashable, Codable {
    public var op: ChangeSetOperation.Kind
    public var secretId: String
    public var version: Int?
    public var changed: Bool

    public init(op: ChangeSetOperation.Kind, secretId: String, version: Int?, changed: Bool) {
        self.op = op
        self.secretId = secretId
        self.version = version
        self.changed = changed
    }
}

extension ValidationError {
    /// The same issues with their paths placed below `path` (the whole body, `body`, becomes `path` itself).
    public func nested(under path: JSONPath) -> ValidationError {
        var nested = ValidationError()
        for issue in issues {
            for message in issue.messages { nested.add(message, atKey: Self.key(issue.path, nestedUnder: path.description)) }
        }
        return nested
    }

    /// A rendered path (`secrets.variables.X`, `[0]`, or `body` for the whole) placed below the rendered `prefix`.
    public static func key(_ key: String, nestedUnder prefix: String) -> String {
        key == "body" ? prefix : key.hasPrefix("[") ? prefix + key : prefix + "." + key
    }
}
