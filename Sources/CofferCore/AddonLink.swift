/// The body of `POST /secrets/{id}/addons/{addonId}`: the keys of the addon the group links, replacing any earlier list.
public struct AddonLink: Sendable, Hashable {
    public var keys: [AddonDependency.Key]

    public init(keys: [AddonDependency.Key]) {
        self.keys = keys
    }

    public init(validating body: JSONValue) throws(ValidationError) {
        var reader = BodyReader(limits: ValidationLimits())
        guard let members = reader.object(body, at: .root, known: ["keys"]) else { throw reader.errors }
        let keys = reader.required(members["keys"], at: JSONPath.root.appending("keys")) {
            $0.array($1, at: $2, element: BodyReader.addonKey)
        }
        guard reader.errors.isEmpty, let keys else { throw reader.errors }
        self.init(keys: keys)
    }
}

extension SecretGroupDefinition {
    /// This definition with the link to addon `addonId` set to `keys` (added at the end if new).
    public func linking(addonId: String, keys: [AddonDependency.Key]) -> SecretGroupDefinition {
        var next = self
        if let index = next.addonDependencies.firstIndex(where: { $0.addonId == addonId }) {
            next.addonDependencies[index].keys = keys
        } else {
            next.addonDependencies.append(AddonDependency(addonId: addonId, keys: keys))
        }
        return next
    }

    /// This definition without its link to addon `addonId`.
    public func unlinking(addonId: String) -> SecretGroupDefinition {
        var next = self
        next.addonDependencies.removeAll { $0.addonId == addonId }
        return next
    }
}
