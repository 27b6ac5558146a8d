import Foundation

/// What a sealed value belongs to, bound into AES-GCM's associated data: a ciphertext opens only in the context it
/// was sealed for, so a blob copied onto another row (another group, project or version) fails to open.
public struct SealContext: Sendable, Hashable {
    let purpose: String
    let components: [String]

    /// The values of one version of one secret group.
    public static func groupValues(team: String, project: String, group: String, version: Int) -> SealContext {
        SealContext(purpose: "group-values", components: [team, project, group, String(version)])
    }

    /// The credentials of one version of one addon (`kind` is `addon` or `external`).
    public static func addonCredentials(team: String, project: String, kind: String, addon: String, version: Int) -> SealContext {
        SealContext(purpose: "addon-credentials", components: [team, project, kind, addon, String(version)])
    }

    /// The own values of one version of one workload (`kind` is `service` or `job`).
    public static func workloadValues(team: String, project: String, kind: String, workload: String, version: Int) -> SealContext {
        SealContext(purpose: "workload-values", components: [team, project, kind, workload, String(version)])
    }

    /// A project's data key, wrapped by the master key.
    public static func dataKey(team: String, project: String, generation: Int) -> SealContext {
        SealContext(purpose: "data-key", components: [team, project, String(generation)])
    }

    /// The check value that tells whether a master key is the one a store was created with.
    public static let masterKeyCheck = SealContext(purpose: "master-key-check", components: [])

    /// Length-prefixed, so no two different contexts produce the same bytes.
    var associatedData: Data {
        var data = Data("coffer/v1".utf8)
        for part in [purpose] + components {
            let bytes = Data(part.utf8)
            var length = UInt32(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
            data.append(bytes)
        }
        return data
    }
}
