/// How durable a commit is before a write is acknowledged, for a store on a local file.
public enum CommitDurability: String, Sendable {
    /// fsync on every commit: an acknowledged write survives power loss.
    case full = "FULL"
    /// fsync at checkpoints only: an acknowledged write survives a crash of the process, not of the machine.
    case normal = "NORMAL"
}
