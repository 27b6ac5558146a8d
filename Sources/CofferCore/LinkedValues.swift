/// The values a group inherits from the addons it links: each linked key under its default name
/// (`NF_<ADDON-ID>_<KEY>`) and its aliases, plus a warning for every link that contributes nothing yet.
public struct LinkedValues: Sendable, Hashable {
    /// One linked addon and the variables it contributes under default names.
    public struct Contribution: Sendable, Hashable {
        public var addon: Addon
        public var variables: [String: String]
    }

    /// Every inherited variable: default names and aliases. Regular addons come before external ones and, within
    /// each, dependencies in their listed order; the first to claim a name keeps it.
    public private(set) var variables: [String: String] = [:]
    /// The addon each inherited variable comes from, by variable name.
    public private(set) var addonIds: [String: String] = [:]
    public private(set) var contributions: [Contribution] = []
    public private(set) var warnings: [String] = []

    /// Resolves `definition`'s links against the project's addons (by id, per kind).
    public init(of definition: SecretGroupDefinition, addons: [String: Addon], externalAddons: [String: Addon]) {
        add(definition.addonDependencies, from: addons, kind: .addon)
        add(definition.externalAddonDependencies, from: externalAddons, kind: .external)
    }

    /// The group's own variables over the inherited ones (`show=all`): its own value wins a shared name.
    public func merged(under own: [String: String]) -> [String: String] {
        variables.merging(own) { _, own in own }
    }

    private mutating func add(_ dependencies: [AddonDependency], from addons: [String: Addon], kind: AddonKind) {
        for dependency in dependencies {
            guard let addon = addons[dependency.addonId] else {
                warnings.append("\(kind.displayName) '\(dependency.addonId)' is linked but does not exist (yet); it contributes nothing")
                continue
            }
            var contributed: [String: String] = [:]
            for key in dependency.keys {
                guard let value = addon.definition.credentials[key.keyName] else {
                    warnings.append("\(kind.displayName) '\(addon.id)' has no key '\(key.keyName)' (yet); the link contributes nothing")
                    continue
                }
                let defaultKey = Addon.defaultKey(addonId: addon.id, keyName: key.keyName)
                contributed[defaultKey] = value
                for name in [defaultKey] + key.aliases where !name.isEmpty {
                    if variables[name] == nil {
                        variables[name] = value
                        addonIds[name] = addon.id
                    } else if variables[name] != value {
                        warnings.append("'\(name)' is provided by more than one link with different values; the first one listed wins")
                    }
                }
            }
            contributions.append(Contribution(addon: addon, variables: contributed))
        }
    }
}
