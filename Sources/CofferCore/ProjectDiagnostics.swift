/// Warnings about a project as a whole, independent of any one workload.
public enum ProjectDiagnostics {
    /// A warning for each restricted group that applies to no workload of the project (including a restricted group
    /// with nothing listed, which applies to nothing by definition). Linear in groups x workloads checked.
    public static func unmatchedRestrictions(groups: [SecretGroup], workloads: [Workload]) -> [String] {
        groups.filter { $0.definition.restrictions.restricted }
            .filter { group in !workloads.contains { group.definition.restrictions.applies(to: $0) } }
            .map { "Group '\($0.id)' is restricted to workloads that do not exist: it applies to no workload" }
            .sorted()
    }
}
