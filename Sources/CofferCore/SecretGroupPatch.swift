/// A partial update of a group (PATCH, or POST update): each present member replaces the stored one wholesale,
/// except `secrets`, where each present sub-map replaces that sub-map alone. The name never changes.
public struct SecretGroupPatch: Sendable, Hashable {
    /// Which route the patch came from: POST update does not accept `tags` or `stageId`.
    public enum Form: Sendable {
        case patch
        case update
    }

    public var fields: SecretGroupFields

    public init(fields: SecretGroupFields) {
        self.fields = fields
    }

    /// Validates a PATCH or POST-update body; `name` is refused with "cannot be changed".
    public init(validating body: JSONValue, form: Form, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) {
        var reader = BodyReader(limits: limits)
        var known = SecretGroupFields.writableMembers
        known.remove("name")
        if form == .update {
            known.remove("tags")
            known.remove("stageId")
        }
        var rest = body
        if case .object(let members) = body, members.contains(where: { $0.0 == "name" }) {
            rest = .object(members.filter { $0.0 != "name" })
            reader.errors.add("cannot be changed; the name is the group's identity", at: JSONPath.root.appending("name"))
        }
        let fields = SecretGroupFields.read(rest, known: known, reader: &reader)
        guard reader.errors.isEmpty else { throw reader.errors }
        self.init(fields: fields)
    }

    /// The definition with this patch applied.
    public func applied(to definition: SecretGroupDefinition) -> SecretGroupDefinition {
        var next = definition
        if let description = fields.description { next.description = description.value }
        if let type = fields.type { next.type = type }
        if let secretType = fields.secretType { next.secretType = secretType }
        if let priority = fields.priority { next.priority = priority }
        if let tags = fields.tags { next.tags = tags }
        if let stageId = fields.stageId { next.stageId = stageId.value }
        if let restrictions = fields.restrictions { next.restrictions = restrictions }
        if let addonDependencies = fields.addonDependencies { next.addonDependencies = addonDependencies }
        if let external = fields.externalAddonDependencies { next.externalAddonDependencies = external }
        if let variables = fields.variables { next.secrets.variables = variables }
        if let files = fields.files { next.secrets.files = files }
        if let mounts = fields.dockerSecretMounts { next.secrets.dockerSecretMounts = mounts }
        return next
    }
}
