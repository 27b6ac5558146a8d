/// Size limits on a group's values, configurable per server. Going over one is a validation error naming the field.
public struct ValidationLimits: Sendable, Hashable {
    /// Largest value of one variable, in UTF-8 bytes.
    public var maximumVariableValueBytes: Int = 64 * 1024
    /// Largest decoded file or Docker secret mount, in bytes.
    public var maximumFileBytes: Int = 1024 * 1024
    /// Most variables in one group.
    public var maximumVariables: Int = 1000

    public init() {}

    public init(maximumVariableValueBytes: Int, maximumFileBytes: Int, maximumVariables: Int) {
        self.maximumVariableValueBytes = maximumVariableValueBytes
        self.maximumFileBytes = maximumFileBytes
        self.maximumVariables = maximumVariables
    }
}
