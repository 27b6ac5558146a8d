extension SecretGroup {
    /// The result of a PUT of `definition` onto this group: unchanged if equal, otherwise replaced wholesale with
    /// `id` and `createdAt` kept, the version bumped and `updatedAt` moved strictly forward.
    public func put(_ definition: SecretGroupDefinition, at now: Timestamp) -> (SecretGroup, WriteOutcome) {
        let next = replaced(by: definition, at: now)
        return (next, next.version == version ? .unchanged : .updated)
    }

    /// A new group from a definition, at `version` (1 for an id never used; one past its last version for an id
    /// whose earlier group was deleted, so numbers are never reused).
    public static func created(from definition: SecretGroupDefinition, in projectId: String, at now: Timestamp, version: Int = 1) -> SecretGroup {
        SecretGroup(projectId: projectId, definition: definition, version: version, createdAt: now, updatedAt: now)
    }
}

extension SecretGroupDefinition {
    /// Whether this group links the addon `id` of `kind`.
    public func links(addonId id: String, kind: AddonKind) -> Bool {
        (kind == .addon ? addonDependencies : externalAddonDependencies).contains { $0.addonId == id }
    }
}

extension WorkloadKind {
    /// How messages name this kind ("Service 'x' not found").
    public var displayName: String { self == .service ? "Service" : "Job" }
}
