import CofferCore
import Foundation

/// A secret group as its table stores it: metadata in plain columns (encoded by `StoredPayload`), values sealed.
/// A row read for a summary carries empty `sealedValues` and dependency lists.
public struct GroupRow: Sendable, Hashable {
    public var scope: ProjectScope
    public var id: String
    public var name: String
    public var description: String?
    public var type: String
    public var secretType: String
    public var priority: Int
    /// JSON (`StoredPayload`) of the tags, restrictions and dependency lists.
    public var tags: String
    public var stageId: String?
    public var restrictions: String
    public var addonDependencies: String
    public var externalAddonDependencies: String
    public var sealedValues: Data
    public var dataKeyGeneration: Int
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        scope: ProjectScope, id: String, name: String, description: String?, type: String, secretType: String, priority: Int,
        tags: String, stageId: String?, restrictions: String, addonDependencies: String, externalAddonDependencies: String,
        sealedValues: Data, dataKeyGeneration: Int, version: Int, createdAt: Int64, updatedAt: Int64
    ) {
        self.scope = scope
        self.id = id
        self.name = name
        self.description = description
        self.type = type
        self.secretType = secretType
        self.priority = priority
        self.tags = tags
        self.stageId = stageId
        self.restrictions = restrictions
        self.addonDependencies = addonDependencies
        self.externalAddonDependencies = externalAddonDependencies
        self.sealedValues = sealedValues
        self.dataKeyGeneration = dataKeyGeneration
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
