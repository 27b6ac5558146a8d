import CofferCore
import Foundation

/// An addon or external addon as its table stores it, credentials sealed.
public struct AddonRow: Sendable, Hashable {
    public var scope: ProjectScope
    public var kind: String
    public var id: String
    public var name: String
    public var type: String
    public var versionLabel: String?
    public var sealedCredentials: Data
    public var dataKeyGeneration: Int
    public var version: Int
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        scope: ProjectScope, kind: String, id: String, name: String, type: String, versionLabel: String?, sealedCredentials: Data,
        dataKeyGeneration: Int, version: Int, createdAt: Int64, updatedAt: Int64
    ) {
        self.scope = scope
        self.kind = kind
        self.id = id
        self.name = name
        self.type = type
        self.versionLabel = versionLabel
        self.sealedCredentials = sealedCredentials
        self.dataKeyGeneration = dataKeyGeneration
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
