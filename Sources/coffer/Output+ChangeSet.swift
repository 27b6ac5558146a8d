import CofferAPI
import CofferCore

/// The text form of a change set's answer (`coffer apply`, `coffer diff project`): key names and where they come from,
/// never a value.
extension Output {
    /// Per workload and phase, its keys (`+` added, `~` changed, `-` removed, `>` moved) and warnings; then the
    /// project's warnings; then one summary line.
    static func changeSetText(_ answer: ChangeSetResource) -> String {
        var lines: [String] = []
        for workload in answer.plan.workloads {
            lines.append("\(workload.kind.rawValue) \(workload.id) (\(workload.phase.rawValue)):")
            lines += workload.added.map { "  + \(name($0)) (from \(source($0.inheritedFrom, $0.addonId)))" }
            lines += workload.changed.map { key in
                let now = source(key.inheritedFrom, key.addonId)
                let before = source(key.previouslyFrom, key.previousAddonId)
                return "  ~ \(name(key)) (from \(now)" + (before == now ? ")" : ", was \(before))")
            }
            lines += workload.removed.map { "  - \(name($0)) (was \(source($0.previouslyFrom, $0.previousAddonId)))" }
            lines += workload.moved.map {
                "  > \(name($0)) moved from \(source($0.previouslyFrom, $0.previousAddonId)) to \(source($0.inheritedFrom, $0.addonId))"
            }
            lines += workload.warnings.map { "  ! \($0)" }
        }
        lines += answer.plan.warnings.map { "Warning: \($0)" }
        lines.append(changeSetSummary(answer))
        return lines.joined(separator: "\n")
    }

    /// `2 secrets changed (db, api-config), 1 deleted (old); 3 workloads affected`, or `No changes.`; a dry run says
    /// that nothing was changed.
    static func changeSetSummary(_ answer: ChangeSetResource) -> String {
        guard !answer.changedSecrets.isEmpty else { return "No changes." }
        let deleted = Set(answer.results.filter { $0.op == .delete && $0.changed }.map(\.secretId))
        let changed = answer.changedSecrets.filter { !deleted.contains($0) }
        let removed = answer.changedSecrets.filter(deleted.contains)
        var parts: [String] = []
        if !changed.isEmpty { parts.append("\(count(changed.count, "secret")) \(answer.dryRun ? "to change" : "changed") (\(names(changed)))") }
        if !removed.isEmpty {
            let noun = parts.isEmpty ? count(removed.count, "secret") : String(removed.count)
            parts.append("\(noun) \(answer.dryRun ? "to delete" : "deleted") (\(names(removed)))")
        }
        let workloads = Set(answer.plan.workloads.map { "\($0.kind.rawValue) \($0.id)" }).count
        let affected = workloads == 0 ? "no workloads affected" : "\(count(workloads, "workload")) affected"
        let summary = parts.joined(separator: ", ") + "; " + affected
        return answer.dryRun ? "Dry run, nothing changed: " + summary + "." : summary + "."
    }

    /// A key as the plan names it: a variable bare, a file or Docker secret mount with its kind.
    private static func name(_ key: PlannedKey) -> String {
        switch key.type {
        case .variable: key.key
        case .file: "file " + key.key
        case .dockerSecretMount: "mount " + key.key
        }
    }

    /// `group`, or `group via addon a` for a key the group links from an addon.
    private static func source(_ group: String?, _ addon: String?) -> String {
        let group = group ?? "?"
        return addon.map { "\(group) via addon \($0)" } ?? group
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
