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
    /// Records a version of a group (its history).
    case insertGroupVersion(GroupVersionRow)
    /// Replaces a version's sealed values and their generation (key rotation re-seals history too).
    case resealGroupVersion(GroupVersionRow)
    /// Drops versions (history retention), named by scope, group id and version.
    case deleteGroupVersions([GroupVersionRow])

    // Key rotation
    case insertDataKey(DataKeyRow)
    /// Replaces a data key's wrapping (re-wrapped under another master key).
    case updateDataKey(DataKeyRow)
    case deleteDataKey(ProjectScope, generation: Int)
    /// Makes `generation` the one the project's new values are sealed under.
    case setDataKeyGeneration(ProjectScope, generation: Int)
    /// Records the master key that wraps new data keys, with a check value only that key opens.
    case recordPrimaryMasterKey(id: String, checkValue: Data)
}
