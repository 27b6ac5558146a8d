import CofferAPI
import CofferCore
import Foundation

/// The `-o table` forms of a group's history, a diff and a project restore plan: key names, and values only in a diff
/// asked for with `--show-values`.
extension Output {
    /// One row per version, newest first; the current one marked.
    static func versionsTable(_ list: GroupVersionList) -> String {
        let rows = list.versions.map { version in
            [
                version.current ? "\(version.version) (current)" : "\(version.version)", version.at.rfc3339, version.actor,
                version.action.rawValue, names(version.changedKeys), names(version.changedFields),
            ]
        }
        return columns(["VERSION", "AT", "ACTOR", "ACTION", "CHANGED KEYS", "CHANGED FIELDS"], rows)
    }

    /// `+ KEY`, `- KEY`, `~ KEY` under each section that changed, then the changed fields.
    static func diffText(_ diff: GroupDiffResource, secretId: String) -> String {
        let sections = [("variables", diff.variables), ("files", diff.files), ("dockerSecretMounts", diff.dockerSecretMounts)]
        var lines: [String] = []
        for (name, changes) in sections where !(changes.added.isEmpty && changes.removed.isEmpty && changes.changed.isEmpty) {
            lines.append("\(name):")
            lines += changes.added.map { "  + " + entry($0) }
            lines += changes.removed.map { "  - " + entry($0) }
            lines += changes.changed.map { "  ~ " + entry($0) }
        }
        if !diff.fields.isEmpty { lines.append("fields: " + diff.fields.joined(separator: ", ")) }
        let versions = "from version \(diff.from) to version \(diff.to)"
        guard !lines.isEmpty else { return "Secret '\(secretId)': no differences \(versions)" }
        return (["Secret '\(secretId)' \(versions):"] + lines).joined(separator: "\n")
    }

    /// A summary line, then one row per group that changes (or would, in a dry run).
    static func restorePlanText(_ plan: ProjectRestoreResource, projectId: String) -> String {
        let moment = plan.asOf.rfc3339
        guard !plan.groups.isEmpty else { return "Project '\(projectId)' is as it was at \(moment); nothing to change" }
        let count = plan.groups.count == 1 ? "1 group" : "\(plan.groups.count) groups"
        let summary =
            plan.dryRun
            ? "Dry run: putting project '\(projectId)' back as it was at \(moment) would change \(count) (nothing was changed)"
            : "Put project '\(projectId)' back as it was at \(moment): \(count) changed"
        let rows = plan.groups.map { step in
            [
                step.action.rawValue, step.secretId, step.fromVersion.map(String.init) ?? "-", step.asOfVersion.map(String.init) ?? "-",
                String(step.version), names(step.changedKeys), names(step.changedFields),
            ]
        }
        return summary + "\n" + columns(["ACTION", "ID", "FROM", "AS OF", "VERSION", "CHANGED KEYS", "CHANGED FIELDS"], rows)
    }

    static func names(_ names: [String]) -> String {
        names.isEmpty ? "-" : names.joined(separator: ", ")
    }

    /// `KEY`, or with values `KEY: old -> new` (`KEY = value` when only one side exists).
    static func entry(_ entry: GroupDiffResource.Entry) -> String {
        switch entry {
        case .name(let key):
            return key
        case .values(let key, let from?, let to?):
            return "\(key): \(value(from)) -> \(value(to))"
        case .values(let key, let from, let to):
            return (from ?? to).map { "\(key) = \(value($0))" } ?? key
        }
    }

    /// A variable quoted with its control characters escaped (a value must not drive the terminal); a file as its
    /// base64, as the API carries it.
    static func value(_ value: GroupDiffResource.DiffValue) -> String {
        switch value {
        case .text(let text): quoted(text)
        case .file(let file): "\(quoted(file.data.base64EncodedString())) (\(file.encoding.rawValue), base64)"
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                result += isControl ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }
        return result + "\""
    }
}
