/// The two phases a workload gets configuration for.
public enum Phase: String, Sendable, Hashable, CaseIterable, Codable {
    /// The running container's environment and files.
    case runtime
    /// The image build's arguments, files and Docker secret mounts.
    case build

    /// Whether groups of `secretType` feed this phase.
    public func isFed(by secretType: SecretType) -> Bool {
        switch (self, secretType) {
        case (_, .environmentArguments), (.runtime, .environment), (.build, .arguments): true
        default: false
        }
    }
}

extension Restrictions {
    /// Whether a group with these restrictions applies to `workload`: unrestricted, or named in `nfObjects`, or its
    /// tags satisfy `tags` under `tagMatchCondition`, or its stage is in `stageIds` (a union). Restricted with all
    /// three lists empty applies to nothing.
    public func applies(to workload: Workload) -> Bool {
        guard restricted else { return true }
        if !nfObjects.isEmpty {
            let id = workload.id
            if nfObjects.contains(where: { $0.id == id && $0.type == workload.kind }) { return true }
        }
        if !tags.isEmpty {
            // Both lists are short: a linear search beats building a set on every check.
            let workloadTags = workload.definition.tags
            let matches = tagMatchCondition == .and ? tags.allSatisfy(workloadTags.contains) : tags.contains(where: workloadTags.contains)
            if matches { return true }
        }
        if let stage = workload.definition.stageId, stageIds.contains(stage) { return true }
        return false
    }
}
