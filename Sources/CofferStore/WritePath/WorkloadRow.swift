import CofferCore
import Foundation

/// A service or job as its table stores it, values sealed.
public struct WorkloadRow: Sendable, Hashable {
    public var scope: ProjectScope
    public var kind: String
    public var id: String
    public var name: String
    /// JSON (`StoredPayload`) of the tags.
    public var tags: String
    public var stageId: String?
    public var sealedValues: Data
    public var dataKeyGeneration: Int
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        scope: ProjectScope, kind: String, id: String, name: String, tags: String, stageId: String?, sealedValues: Data,
        dataKeyGeneration: Int, version: Int, createdAt: Int64, updatedAt: Int64
    ) {
        self.scope = scope
        self.kind = kind
        self.id = id
        self.name = name
        self.tags = tags
        self.stageId = stageId
        self.sealedValues = sealedValues
        self.dataKeyGeneration = dataKeyGeneration
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
