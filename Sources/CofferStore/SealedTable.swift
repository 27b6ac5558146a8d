import CofferCore
import CofferCrypto
import GRDB

/// A table whose rows each hold one value sealed with the project's data key: what re-sealing a row under a new
/// generation needs to know, so one loop serves groups, addons and workloads.
struct SealedTable: Sendable {
    let name: String
    /// The column holding the sealed value.
    let column: String
    /// The context the row's value is sealed for; it depends on the row's identity and version, never on the key.
    let context: @Sendable (Row, ProjectScope) -> SealContext

    static let all: [SealedTable] = [
        SealedTable(name: "secret_group", column: "sealed_values") { row, scope in
            .groupValues(team: scope.teamId, project: scope.projectId, group: row["id"], version: row["version"])
        },
        SealedTable(name: "addon", column: "sealed_credentials") { row, scope in
            .addonCredentials(team: scope.teamId, project: scope.projectId, kind: row["kind"], addon: row["id"], version: row["version"])
        },
        SealedTable(name: "workload", column: "sealed_values") { row, scope in
            .workloadValues(team: scope.teamId, project: scope.projectId, kind: row["kind"], workload: row["id"], version: row["version"])
        },
    ]
}
