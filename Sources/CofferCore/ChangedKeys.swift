/// The names (never the values) of what a change touched, for the audit log.
public enum ChangedKeys {
    /// Keys whose value was set, changed or removed between two maps, sorted.
    public static func between<Value: Equatable>(_ old: [String: Value], _ new: [String: Value]) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }

    /// Every secret key of two versions of a group's values that differs: variables, file paths and mount names.
    public static func between(_ old: SecretValues, _ new: SecretValues) -> [String] {
        (between(old.variables, new.variables) + between(old.files, new.files) + between(old.dockerSecretMounts, new.dockerSecretMounts)).sorted()
    }

    /// The top-level fields other than `secrets` that differ between two definitions of a group.
    public static func fields(_ old: SecretGroupDefinition, _ new: SecretGroupDefinition) -> [String] {
        var fields: [String] = []
        if old.name != new.name { fields.append("name") }
        if old.description != new.description { fields.append("description") }
        if old.type != new.type { fields.append("type") }
        if old.secretType != new.secretType { fields.append("secretType") }
        if old.priority != new.priority { fields.append("priority") }
        if old.tags != new.tags { fields.append("tags") }
        if old.stageId != new.stageId { fields.append("stageId") }
        if old.restrictions != new.restrictions { fields.append("restrictions") }
        if old.addonDependencies != new.addonDependencies { fields.append("addonDependencies") }
        if old.externalAddonDependencies != new.externalAddonDependencies { fields.append("externalAddonDependencies") }
        return fields
    }
}

extension ChangedKeys {
    /// A workload's own values that differ, named `runtimeEnvironment.KEY`, `runtimeFiles./path`, and so on.
    public static func between(_ old: WorkloadValues, _ new: WorkloadValues) -> [String] {
        between(old.runtimeEnvironment, new.runtimeEnvironment).map { "runtimeEnvironment.\($0)" }
            + between(old.runtimeFiles, new.runtimeFiles).map { "runtimeFiles.\($0)" }
            + between(old.buildArguments, new.buildArguments).map { "buildArguments.\($0)" }
            + between(old.buildFiles, new.buildFiles).map { "buildFiles.\($0)" }
    }

    public static func fields(_ old: WorkloadDefinition, _ new: WorkloadDefinition) -> [String] {
        (old.tags != new.tags ? ["tags"] : []) + (old.stageId != new.stageId ? ["stageId"] : [])
    }

    public static func fields(_ old: AddonDefinition, _ new: AddonDefinition) -> [String] {
        (old.type != new.type ? ["type"] : []) + (old.version != new.version ? ["version"] : [])
    }
}
