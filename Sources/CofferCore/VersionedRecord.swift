/// A stored record whose client-defined part is replaced as a whole: groups, addons and workloads.
public protocol VersionedRecord: Sendable {
    associatedtype Definition: Hashable
    var definition: Definition { get set }
    /// Starts at 1 and grows by one with every change.
    var version: Int { get set }
    var updatedAt: Timestamp { get set }
}

extension VersionedRecord {
    /// The record with `definition` in place: itself if nothing changed, otherwise with the version bumped and
    /// `updatedAt` moved strictly forward (identity and `createdAt` kept).
    public func replaced(by definition: Definition, at now: Timestamp) -> Self {
        guard definition != self.definition else { return self }
        var next = self
        next.definition = definition
        next.version += 1
        next.updatedAt = now.advanced(pastOrAt: updatedAt)
        return next
    }
}

extension SecretGroup: VersionedRecord {}
extension Addon: VersionedRecord {}
extension Workload: VersionedRecord {}
