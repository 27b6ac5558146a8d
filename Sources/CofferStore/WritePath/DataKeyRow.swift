import CofferCore
import CofferCrypto
import Foundation

/// One generation of a project's data key as stored: wrapped, naming the master key that wraps it.
public struct DataKeyRow: Sendable, Hashable {
    public var scope: ProjectScope
    public var generation: Int
    public var wrapped: Data
    public var masterKeyID: String

    public init(scope: ProjectScope, generation: Int, wrapped: Data, masterKeyID: String) {
        self.scope = scope
        self.generation = generation
        self.wrapped = wrapped
        self.masterKeyID = masterKeyID
    }

    /// What the wrapping binds the key to: its project and generation.
    package var wrapContext: SealContext {
        .dataKey(team: scope.teamId, project: scope.projectId, generation: generation)
    }
}
