/// Why a request body is not well-formed JSON, and where. The message never quotes the document,
/// because the document may hold secret values.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, as a short phrase ("expected ',' or '}' after an object member").
    public let reason: String
    /// 1-based line of the offending byte.
    public let line: Int
    /// 1-based column (in bytes) of the offending byte.
    public let column: Int
    /// 0-based byte offset of the offending byte.
    public let offset: Int

    public init(reason: String, line: Int, column: Int, offset: Int) {
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String {
        "Malformed JSON at line \(line), column \(column): \(reason)"
    }
}
