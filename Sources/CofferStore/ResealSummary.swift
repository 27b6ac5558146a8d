import CofferCore

/// What rotating (or finishing the rotation of) one project's data key did.
public struct ResealSummary: Sendable, Hashable {
    public var scope: ProjectScope
    /// The generation every value is sealed under now.
    public var generation: Int
    /// Groups, addons and workloads re-sealed.
    public var resealed: Int
    /// Older generations deleted because no row used them any more.
    public var deletedKeys: Int
}
