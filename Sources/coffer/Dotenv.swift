/// Reading and writing dotenv files (`KEY=value` lines), for `coffer import` and `coffer export`.
///
/// What is read: blank lines and `#` comments; an optional `export ` before the key; keys of letters, digits and
/// `_ . / -` (Coffer's variable names); single-quoted values taken literally; double-quoted values with `\n \r \t
/// \" \\ \$` escapes; unquoted values trimmed, where a `#` after white space starts a comment. Values are never
/// interpolated: `${NAME}` is kept as written, since it is a Coffer template.
enum Dotenv {
    /// The variables `text` defines; a later definition of a key wins, as in a shell.
    static func parse(_ text: String) throws(DotenvError) -> [String: String] {
        var variables: [String: String] = [:]
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.first == "\u{FEFF}" { lines[0] = first.dropFirst() }
        for (index, line) in lines.enumerated() {
            var scalars = line
            if scalars.last == "\r" { scalars = scalars.dropLast() }
            if let (key, value) = try parseLine(scalars, number: index + 1) { variables[key] = value }
        }
        return variables
    }

    /// One `KEY=value` line per variable, sorted by key, each ending in a newline; values are double-quoted when they
    /// hold anything but letters, digits and `_ . / : @ % + , -`.
    static func format(_ variables: [String: String]) -> String {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))\n" }.joined()
    }

    /// `value` as written after `=`: bare when every character is safe unquoted, else in double quotes with `\ " $`,
    /// newline and carriage return escaped.
    static func quoted(_ value: String) -> String {
        if value.unicodeScalars.allSatisfy(isBare) { return value }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "$": text += "\\$"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    typealias Scalars = Substring.UnicodeScalarView

    /// The variable a line defines, or nil for a blank or comment line. Errors name the line, never its text.
    static func parseLine(_ line: Scalars, number: Int) throws(DotenvError) -> (String, String)? {
        var rest = line.drop(while: isBlank)
        if rest.isEmpty || rest.first == "#" { return nil }
        if rest.starts(with: "export".unicodeScalars), let next = rest.dropFirst(6).first, isBlank(next) {
            rest = rest.dropFirst(6).drop(while: isBlank)
        }
        guard let equals = rest.firstIndex(of: "=") else { throw DotenvError(line: number, reason: "expected KEY=value") }
        let key = trimmed(rest[..<equals])
        guard !key.isEmpty else { throw DotenvError(line: number, reason: "the key before '=' is empty") }
        guard key.unicodeScalars.allSatisfy(isKeyScalar) else {
            throw DotenvError(line: number, reason: "a key may hold only letters, digits, '_', '.', '/' and '-'")
        }
        let value = rest[rest.index(after: equals)...]
        switch value.drop(while: isBlank).first {
        case "'": return (key, try singleQuoted(value.drop(while: isBlank).dropFirst(), line: number))
        case "\"": return (key, try doubleQuoted(value.drop(while: isBlank).dropFirst(), line: number))
        default: return (key, unquoted(value))
        }
    }

    /// Up to the closing `'`, taken literally.
    static func singleQuoted(_ text: Scalars, line: Int) throws(DotenvError) -> String {
        guard let close = text.firstIndex(of: "'") else { throw DotenvError(line: line, reason: "the single-quoted value has no closing quote") }
        try expectOnlyComment(text[text.index(after: close)...], line: line)
        return String(String.UnicodeScalarView(text[..<close]))
    }

    /// Up to the first unescaped `"`, with escapes replaced; an unknown escape keeps its backslash, as a shell does.
    static func doubleQuoted(_ text: Scalars, line: Int) throws(DotenvError) -> String {
        var value = String.UnicodeScalarView()
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            index = text.index(after: index)
            if scalar == "\"" {
                try expectOnlyComment(text[index...], line: line)
                return String(value)
            }
            guard scalar == "\\", index < text.endIndex else {
                value.append(scalar)
                continue
            }
            let escaped = text[index]
            index = text.index(after: index)
            switch escaped {
            case "n": value.append("\n")
            case "r": value.append("\r")
            case "t": value.append("\t")
            case "\"", "\\", "$": value.append(escaped)
            default: value.append(contentsOf: ["\\", escaped])
            }
        }
        throw DotenvError(line: line, reason: "the double-quoted value has no closing quote")
    }

    /// The text before a `#` that follows white space, trimmed.
    static func unquoted(_ text: Scalars) -> String {
        var end = text.endIndex
        var previous: Unicode.Scalar?
        for index in text.indices {
            if text[index] == "#", let previous, isBlank(previous) {
                end = index
                break
            }
            previous = text[index]
        }
        return trimmed(text[..<end])
    }

    /// `text` without blanks at either end.
    static func trimmed(_ text: Scalars) -> String {
        let start = text.drop(while: isBlank)
        let end = start.lastIndex { !isBlank($0) }.map { start.index(after: $0) } ?? start.startIndex
        return String(String.UnicodeScalarView(start[..<end]))
    }

    /// After a closing quote only white space and a comment may follow.
    static func expectOnlyComment(_ text: Scalars, line: Int) throws(DotenvError) {
        let rest = text.drop(while: isBlank)
        guard rest.isEmpty || rest.first == "#" else {
            throw DotenvError(line: line, reason: "only white space or a comment may follow the closing quote")
        }
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_./-".unicodeScalars.contains(scalar))
    }

    static func isBare(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_./:@%+,-".unicodeScalars.contains(scalar))
    }
}

/// A dotenv line that cannot be read. It names the line but never quotes it: the line may hold a secret.
struct DotenvError: Error, Equatable, CustomStringConvertible {
    let line: Int
    let reason: String

    var description: String { "line \(line): \(reason)" }
}
