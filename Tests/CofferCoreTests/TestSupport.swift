import Testing

@testable import CofferCore

/// Parses `text` the way the server parses a request body.
func parseJSON(_ text: String) throws -> JSONValue {
    try JSONParser().parse(Array(text.utf8))
}

/// The members every valid create/PUT body needs; table cases override or add to them.
let requiredMembers: [(String, JSONValue)] = [
    ("name", .string("Valid Name")),
    ("secretType", .string("environment")),
    ("priority", .number("10")),
]

/// A body made of the required members, with the members of the JSON object text `{members}` replacing or added to them.
/// A member whose value is the string `"<absent>"` removes that required member instead.
func body(_ members: String = "") throws -> JSONValue {
    guard case .object(let overrides) = try parseJSON("{\(members)}") else { throw TestFailure("not an object") }
    var result = requiredMembers.filter { name, _ in !overrides.contains { $0.0 == name } }
    result += overrides.filter { $0.1 != .string("<absent>") }
    return .object(result)
}

/// The error validating `body` throws; records an issue and returns `nil` if it validates.
func validationError(_ body: JSONValue, limits: ValidationLimits = ValidationLimits()) -> ValidationError? {
    do {
        _ = try SecretGroupDefinition(validating: body, limits: limits)
        Issue.record("expected the body to be refused")
        return nil
    } catch {
        return error
    }
}

extension ValidationError {
    /// The issues as a dictionary, for comparisons that do not depend on the order fields were checked in.
    var issueMap: [String: [String]] {
        Dictionary(issues.map { ($0.path, $0.messages) }, uniquingKeysWith: +)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// `text` as a JSON string literal in which every scalar outside printable ASCII is written as `\u` escapes
/// (a surrogate pair above U+FFFF), as a strict client could encode it.
func jsonQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case " "..."~": result.unicodeScalars.append(scalar)
        default:
            if scalar.value > 0xFFFF {
                let value = scalar.value - 0x10000
                result += hexEscape(0xD800 + (value >> 10)) + hexEscape(0xDC00 + (value & 0x3FF))
            } else {
                result += hexEscape(scalar.value)
            }
        }
    }
    return result + "\""
}

private func hexEscape(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: false)
    return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
}

/// Validation messages, written out exactly as the implementation words them.
enum Message {
    static let namePattern = #"must match ^[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*$"#
    static let descriptionPattern = #"must match ^[a-zA-Z0-9.,?\s\\/'"()[\];`%^&*\-_:!]+$"#
    static let slugPattern = #"must match ^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"#
    static let objectIdPattern = #"must match ^[A-Za-z0-9-]+$"#
    static let keyNamePattern = #"must match [a-zA-Z]+"#
    static let aliasPattern = #"must match ^[a-zA-Z0-9_./-]*$"#
    static let variableName = #"name must match ^[a-zA-Z0-9_./-]+$"#
    static let mountName = #"name must match ^[a-zA-Z0-9_.-]+$"#
    static let atLeast3 = "must be at least 3 characters long"
    static let atMost100 = "must be at most 100 characters long"
    static let atMost200 = "must be at most 200 characters long"
    static let string = "must be a string"
    static let object = "must be an object"
    static let array = "must be an array"
    static let boolean = "must be a boolean"
    static let integer = "must be an integer"
    static let priorityRange = "must be between 0 and 100"
    static let required = "is required"
    static let unknown = "is not a known field"
    static let groupType = "must be one of: secret, config"
    static let secretType = "must be one of: environment, arguments, environment-arguments"
    static let workloadKind = "must be one of: service, job"
    static let tagMatch = "must be one of: and, or"
    static let encoding = "must be one of: utf-8, ascii, latin1, utf16le, binary"
    static let variableValue = "must be a string, number or boolean"
    static let base64 = "must be valid base64"
}

/// A string of `count` copies of `character`.
func repeated(_ character: Character, _ count: Int) -> String {
    String(repeating: character, count: count)
}
