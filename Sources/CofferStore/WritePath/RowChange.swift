import CofferCore
import Foundation

/// One row change a write decided on; the driver applies it in the write's transaction.
public enum RowChange: Sendable {
    case insertTeam(Team)
    case insertToken(Token)
    /// Replaces the token's row (its revocation time).
    case updateToken(Token)
    case insertProject(ProjectRow, dataKey: DataKeyRow)
    /// Deletes the project with everything in it.
    case deleteProject(ProjectScope)
    case insertGroup(GroupRow)
    case updateGroup(GroupRow)
    case deleteGroup(ProjectScope, id: String)
    case insertAddon(AddonRow)
    case updateAddon(AddonRow)
    case deleteAddon(ProjectScope, kind: String, id: String)
    case insertWorkload(WorkloadRow)
    case updateWorkload(WorkloadRow)
    case deleteWorkload(ProjectScope, kind: String, id: String)
}
