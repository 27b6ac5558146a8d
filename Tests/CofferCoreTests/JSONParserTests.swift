import Testing

@testable import CofferCore

@Suite("JSONParser: valid documents")
struct JSONParserTests {
    @Test("parses every kind of value, keeping member order")
    func valueKinds() throws {
        let value = try parseJSON(#"{"z": [1, -2.5e+3, true, false, null, "x"], "a": {}, "m": [], "": ""}"#)
        let expected = JSONValue.object([
            ("z", .array([.number("1"), .number("-2.5e+3"), .bool(true), .bool(false), .null, .string("x")])),
            ("a", .object([])),
            ("m", .array([])),
            ("", .string("")),
        ])
        #expect(value == expected)
        guard case .object(let members) = value else { throw TestFailure("not an object") }
        #expect(members.map(\.0) == ["z", "a", "m", ""])
    }

    @Test(
        "a top-level scalar with surrounding whitespace",
        arguments: [
            (" \t\r\n 42 \n", JSONValue.number("42")),
            ("\"text\"", .string("text")),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("null", .null),
        ]
    )
    func topLevelScalars(_ text: String, _ expected: JSONValue) throws {
        #expect(try parseJSON(text) == expected)
    }

    @Test(
        "number literals are kept exactly as written",
        arguments: [
            "0", "-0", "1.0", "1.50", "0.000", "1e400", "-1E-7", "2E+3", "123456789012345678901234567890", "-9223372036854775809",
        ]
    )
    func numberLiterals(_ literal: String) throws {
        #expect(try parseJSON(literal) == .number(literal))
        #expect(try parseJSON("[\(literal)]") == .array([.number(literal)]))
        #expect(try parseJSON(#"{"n": \#(literal)}"#)[member: "n"] == .number(literal))
    }

    @Test("string escapes decode, including surrogate pairs")
    func escapes() throws {
        let value = try parseJSON(#""\"\\\/\b\f\n\r\t\u00e9\u20AC\uD83D\uDE00\u0000""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\t\u{E9}\u{20AC}\u{1F600}\u{0}"))
    }

    @Test("raw UTF-8 in strings and member names")
    func rawUTF8() throws {
        let value = try parseJSON("{\"cl\u{E9}\": \"\u{1F600} \u{4E2D}\u{6587} \u{3000}\"}")
        #expect(value == .object([("cl\u{E9}", .string("\u{1F600} \u{4E2D}\u{6587} \u{3000}"))]))
    }

    @Test("the same member name in different objects is not a duplicate")
    func sameNameInNestedObjects() throws {
        let value = try parseJSON(#"{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}"#)
        #expect(value[member: "a"] == .object([("a", .number("1"))]))
    }

    @Test("a duplicate member name is found wherever it is, in small objects and large", arguments: [1, 2, 11, 12, 13, 40])
    func duplicatesInObjectsOfEverySize(count: Int) throws {
        let names = (0..<count).map { "m\($0)" }
        let distinct = "{" + names.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
        #expect(try parseJSON(distinct) == .object(names.map { ($0, .number("1")) }))
        for repeated in [0, count / 2, count - 1] {
            let text = "{" + (names + [names[repeated]]).map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
            let error = #expect(throws: JSONSyntaxError.self) { try parseJSON(text) }
            #expect(error?.reason == "duplicate member name in an object")
            // Named on its second occurrence, the last member.
            #expect(error?.offset == text.utf8.count - "\"\(names[repeated])\": 1}".utf8.count)
        }
        // A canonically equal spelling is the same name, as String compares it.
        #expect(throws: JSONSyntaxError.self) { try parseJSON("{" + names.map { "\"\($0)\": 1" }.joined(separator: ", ") + ", \"e\u{301}\": 1, \"\u{E9}\": 2}") }
    }

    @Test("nesting exactly at maximumDepth is accepted")
    func nestingAtTheLimit() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser().parse(Array(deepest.utf8))
        let mixed = #"{"a": [{"b": [1]}]}"#
        _ = try JSONParser(maximumDepth: 4).parse(Array(mixed.utf8))
        #expect(try JSONParser(maximumDepth: 0).parse(Array("\"flat\"".utf8)) == .string("flat"))
    }

    @Test("JSONValue helpers")
    func valueHelpers() throws {
        let value = try parseJSON(#"{"a": 1, "b": null}"#)
        #expect(value[member: "b"] == .null)
        #expect(value[member: "c"] == nil)
        #expect(JSONValue.array([])[member: "a"] == nil)
        #expect(
            [JSONValue.null, .bool(true), .number("1"), .string(""), .array([]), .object([])].map(\.typeName)
                == ["null", "boolean", "number", "string", "array", "object"]
        )
        #expect(JSONValue.object([("a", .null), ("b", .null)]) != .object([("b", .null), ("a", .null)]))
    }
}

/// A malformed document and where the parser must say it breaks.
struct SyntaxCase: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]
    let reason: String
    let line: Int
    let column: Int

    init(_ label: String, _ text: String, _ reason: String, line: Int = 1, column: Int) {
        self.init(label, Array(text.utf8), reason, line: line, column: column)
    }

    init(_ label: String, _ bytes: [UInt8], _ reason: String, line: Int = 1, column: Int) {
        self.label = label
        self.bytes = bytes
        self.reason = reason
        self.line = line
        self.column = column
    }

    var testDescription: String { label }
}

@Suite("JSONParser: syntax errors")
struct JSONParserErrorTests {
    static let badUTF8 = #"invalid UTF-8 in a string"#
    static let surrogate = #"lone UTF-16 surrogate in a \u escape"#
    static let control = "unescaped control character in a string"
    static let expectedValue = "unexpected character, expected a value"
    static let trailing = "unexpected data after the JSON document"

    static let cases: [SyntaxCase] = [
        .init("trailing comma in an array", "[1, 2,]", expectedValue, column: 7),
        .init("trailing comma in an object", #"{"a": 1,}"#, "expected a member name in double quotes", column: 9),
        .init(
            "trailing comma before a closing brace on its own line",
            "{\n  \"a\": 1,\n}",
            "expected a member name in double quotes",
            line: 3,
            column: 1
        ),
        .init("leading zero", "[01]", "invalid number, leading zeros are not allowed", column: 3),
        .init("leading zeros on the second line", "{\n  \"n\": 007\n}", "invalid number, leading zeros are not allowed", line: 2, column: 9),
        .init("negative leading zero", "-01", "invalid number, leading zeros are not allowed", column: 3),
        .init("unterminated string", #"{"a": "abc"#, "unexpected end of input inside a string", column: 11),
        .init("lone quote", "\"", "unexpected end of input inside a string", column: 2),
        .init("unterminated string after an escape", #""a\n"#, "unexpected end of input inside a string", column: 5),
        .init("invalid escape", #"["a\x"]"#, "invalid escape sequence", column: 4),
        .init("single-quote escape", #""\'""#, "invalid escape sequence", column: 2),
        .init("invalid hex digit", #""\u12G4""#, #"invalid hexadecimal digit in a \u escape"#, column: 6),
        .init("short unicode escape", #""\u12""#, #"invalid hexadecimal digit in a \u escape"#, column: 6),
        .init("input ends in a unicode escape", #""\u00"#, #"unexpected end of input in a \u escape"#, column: 6),
        .init("input ends after a backslash", #""\"#, "unexpected end of input in an escape sequence", column: 3),
        .init("lone high surrogate", #""\uD800""#, surrogate, column: 8),
        .init("lone low surrogate", #""\uDC00""#, surrogate, column: 8),
        .init("high surrogate before a plain escape", #""\uD800\n""#, surrogate, column: 8),
        .init("high surrogate before a non-surrogate", #""\uD800\u0041""#, surrogate, column: 14),
        .init("lone surrogate on the second line", "[\n\"\\udbff\"]", surrogate, line: 2, column: 8),
        .init("raw control character", "\"a\u{01}b\"", control, column: 3),
        .init("raw tab in a string", "\"a\tb\"", control, column: 3),
        .init("raw newline in a string", "[\"a\nb\"]", control, column: 4),
        .init("raw control character after an escape", "\"\\n\u{1F}\"", control, column: 4),
        .init("invalid byte in a string", [0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D], badUTF8, column: 3),
        .init("invalid byte in a string on the second line", Array("{\n\"k\": \"ab".utf8) + [0xC3, 0x22, 0x7D], badUTF8, line: 2, column: 7),
        .init("overlong encoding", [0x22, 0xC0, 0xAF, 0x22], badUTF8, column: 2),
        .init("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], badUTF8, column: 2),
        .init("truncated sequence", [0x22, 0xE2, 0x82, 0x22], badUTF8, column: 2),
        .init("invalid byte after an escape", [0x22, 0x5C, 0x6E, 0xFE, 0x22], badUTF8, column: 2),
        .init("invalid byte in a member name", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], badUTF8, column: 3),
        .init("invalid byte outside a string", [0x5B, 0xFF, 0x5D], expectedValue, column: 2),
        .init("duplicate member name", #"{"a": 1, "a": 2}"#, "duplicate member name in an object", column: 10),
        .init("duplicate member name written with an escape", #"{"a":1,"\u0061":2}"#, "duplicate member name in an object", column: 8),
        .init(
            "duplicate member name on a later line",
            "{\n \"a\": 1,\n \"b\": 2,\n \"a\": 3\n}",
            "duplicate member name in an object",
            line: 4,
            column: 2
        ),
        .init(
            "nesting one level too deep",
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
            "nesting deeper than 64 levels",
            column: 65
        ),
        .init("trailing garbage", "{} x", trailing, column: 4),
        .init("two values", "1 2", trailing, column: 3),
        .init("two strings", #""a""b""#, trailing, column: 4),
        .init("extra closing brace on a later line", "{}\n\n}", trailing, line: 3, column: 1),
        .init("literal followed by letters", "truex", trailing, column: 5),
        .init("empty input", "", "unexpected end of input, expected a value", column: 1),
        .init("whitespace only", "  \n\t", "unexpected end of input, expected a value", line: 2, column: 2),
        .init("missing colon", #"{"a" 1}"#, "expected ':' after a member name", column: 6),
        .init("unquoted member name", "{a: 1}", "expected a member name in double quotes", column: 2),
        .init("missing comma in an array", "[1 2]", "expected ',' or ']' after an array element", column: 4),
        .init("missing comma in an object", #"{"a":1 "b":2}"#, "expected ',' or '}' after an object member", column: 8),
        .init("unclosed array", "[1", "unexpected end of input, expected ',' or ']'", column: 3),
        .init("unclosed object", #"{"a":1"#, "unexpected end of input, expected ',' or '}'", column: 7),
        .init("truncated literal", "tru", "invalid literal, expected 'true'", column: 1),
        .init("misspelt literal", "[nul]", "invalid literal, expected 'null'", column: 2),
        .init("capitalised literal", "False", expectedValue, column: 1),
        .init("minus alone", "-", "invalid number, expected a digit", column: 2),
        .init("fraction without digits", "1.", "invalid number, expected a digit after '.'", column: 3),
        .init("exponent without digits", "1e+", "invalid number, expected a digit in the exponent", column: 4),
        .init("leading dot", ".5", expectedValue, column: 1),
        .init("leading plus", "+1", expectedValue, column: 1),
        .init("NaN", "NaN", expectedValue, column: 1),
        .init("single-quoted string", "'a'", expectedValue, column: 1),
        .init("CRLF line endings", "{\r\n  x", "expected a member name in double quotes", line: 2, column: 3),
    ]

    @Test("reports the reason, line and column", arguments: cases)
    func syntaxError(_ testCase: SyntaxCase) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser().parse(testCase.bytes) }
        #expect(error?.reason == testCase.reason)
        #expect(error?.line == testCase.line)
        #expect(error?.column == testCase.column)
        #expect(error?.description == "Malformed JSON at line \(testCase.line), column \(testCase.column): \(testCase.reason)")
    }

    @Test("nesting deeper than a custom maximumDepth")
    func customDepth() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser(maximumDepth: 2).parse(Array(#"{"a":[{}]}"#.utf8)) }
        #expect(error == JSONSyntaxError(reason: "nesting deeper than 2 levels", line: 1, column: 7, offset: 6))
        let flat = #expect(throws: JSONSyntaxError.self) { try JSONParser(maximumDepth: 0).parse(Array("[]".utf8)) }
        #expect(flat?.offset == 0)
    }

    static let secret = "hunter2-TOPSECRET"

    static let documentsWithSecrets: [String] = [
        #"{"password": "\#(secret)" x}"#,
        #"{"password": "\#(secret)\q"}"#,
        #"{"\#(secret)": 1, "\#(secret)": 2}"#,
        #"["\#(secret)""#,
        #"{"k": "\#(secret)\uD800"}"#,
        "{\"k\": \"\(secret)\u{7}\"}",
        #"{"k": "\#(secret)"} "\#(secret)""#,
        #"{"\#(secret)" "\#(secret)"}"#,
        "\(secret)",
        #"[1, "\#(secret)",]"#,
    ]

    @Test("the error never quotes the document", arguments: documentsWithSecrets.indices)
    func errorsDoNotQuoteTheDocument(_ index: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser().parse(Array(Self.documentsWithSecrets[index].utf8)) }
        for text in [error?.description, error?.reason, error.map { String(describing: $0) }, error.map { String(reflecting: $0) }] {
            let text = text ?? ""
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("TOPSECRET"))
        }
    }

    @Test("invalid UTF-8 is refused even in a member name")
    func invalidUTF8InName() {
        let bytes: [UInt8] = Array(#"{"a": 1, ""#.utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array(#"": 2}"#.utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONParser().parse(bytes) }
    }

    /// Names are compared as Swift strings, so canonically equivalent spellings count as duplicates. That is stricter
    /// than RFC 8259, but it keeps two such names from silently collapsing into one key of a `[String: ...]` map later.
    @Test("canonically equivalent member names are duplicates")
    func canonicallyEquivalentNames() {
        let text = #"{"secrets": {"files": {"/caf\u00e9": {"data": ""}, "/cafe\u0301": {"data": ""}}}}"#
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser().parse(Array(text.utf8)) }
        #expect(error?.reason == "duplicate member name in an object")
        #expect(error?.column == 52)
    }

    /// The error points at the first byte of the string holding the bad bytes, not at the bad byte itself.
    @Test("invalid UTF-8 is located at the start of its string")
    func invalidUTF8Location() {
        let bytes: [UInt8] = Array("[\"ok\",\n  \"abc".utf8) + [0xE9] + Array("def\"]".utf8)
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser().parse(bytes) }
        #expect(error == JSONSyntaxError(reason: "invalid UTF-8 in a string", line: 2, column: 4, offset: 10))
    }
}
