extension SecretGroupDefinition {
    /// Validates a create or PUT body: every rule of API.md section 2, `name`, `secretType` and `priority` required,
    /// absent members taking their defaults. Throws one error listing every problem.
    public init(validating body: JSONValue, limits: ValidationLimits = ValidationLimits()) throws(ValidationError) {
        var reader = BodyReader(limits: limits)
        let fields = SecretGroupFields.read(body, known: SecretGroupFields.writableMembers, reader: &reader)
        if case .object = body {
            for member in ["name", "secretType", "priority"] where body[member: member] == nil {
                reader.errors.add("is required", at: JSONPath.root.appending(member))
            }
        }
        guard reader.errors.isEmpty, let name = fields.name, let secretType = fields.secretType, let priority = fields.priority else {
            throw reader.errors
        }
        self.init(
            name: name,
            description: fields.description?.value,
            type: fields.type ?? .secret,
            secretType: secretType,
            priority: priority,
            tags: fields.tags ?? [],
            stageId: fields.stageId?.value,
            restrictions: fields.restrictions ?? Restrictions(),
            addonDependencies: fields.addonDependencies ?? [],
            externalAddonDependencies: fields.externalAddonDependencies ?? [],
            secrets: SecretValues(
                variables: fields.variables ?? [:],
                files: fields.files ?? [:],
                dockerSecretMounts: fields.dockerSecretMounts ?? [:]
            )
        )
    }
}
