import Testing

@testable import coffer

/// Reading and writing dotenv files: each form a line can take, what is refused (by line number, never by text),
/// and values surviving a format-then-parse round trip.
@Suite struct DotenvTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let variables: [String: String]
        var testDescription: String { text.debugDescription }
    }

    static let readable: [Case] = [
        Case(text: "", variables: [:]),
        Case(text: "A=1", variables: ["A": "1"]),
        Case(text: "A=1\nB=2\n", variables: ["A": "1", "B": "2"]),
        Case(text: "A=1\r\nB=2\r\n", variables: ["A": "1", "B": "2"]),
        Case(text: "\u{FEFF}A=1", variables: ["A": "1"]),
        Case(text: "# a comment\n\n   \n  # indented comment\nA=1", variables: ["A": "1"]),
        Case(text: "export A=1\nexport\tB=2", variables: ["A": "1", "B": "2"]),
        Case(text: "export=1\nexporter=2", variables: ["export": "1", "exporter": "2"]),
        Case(text: "  A  =   spaced out value  ", variables: ["A": "spaced out value"]),
        Case(text: "A=", variables: ["A": ""]),
        Case(text: "A=value # a comment", variables: ["A": "value"]),
        Case(text: "A=pass#word", variables: ["A": "pass#word"]),
        Case(text: "A= # only a comment", variables: ["A": ""]),
        Case(text: "A=a=b=c", variables: ["A": "a=b=c"]),
        Case(text: "A=${NODE_ENV}", variables: ["A": "${NODE_ENV}"]),
        Case(text: "lower.case/key-1=x\n9LIVES=y", variables: ["lower.case/key-1": "x", "9LIVES": "y"]),
        Case(text: "A='literal \\n $HOME \"q\" # not a comment'", variables: ["A": #"literal \n $HOME "q" # not a comment"#]),
        Case(text: "A='x'  # trailing comment", variables: ["A": "x"]),
        Case(text: "A=''", variables: ["A": ""]),
        Case(text: #"A="line1\nline2""#, variables: ["A": "line1\nline2"]),
        Case(text: #"A="tab\there\r""#, variables: ["A": "tab\there\r"]),
        Case(text: #"A="say \"hi\" \\ \$HOME""#, variables: ["A": #"say "hi" \ $HOME"#]),
        Case(text: #"A="C:\temp\x""#, variables: ["A": "C:\temp\\x"]),
        Case(text: #"A="  kept  " # comment"#, variables: ["A": "  kept  "]),
        Case(text: ##"A="# not a comment""##, variables: ["A": "# not a comment"]),
        Case(text: "A=first\nA=second", variables: ["A": "second"]),
        Case(text: "A=héllo wörld ✓", variables: ["A": "héllo wörld ✓"]),
    ]

    @Test(arguments: readable)
    func parsesEachForm(_ example: Case) throws {
        #expect(try Dotenv.parse(example.text) == example.variables)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let text: String
        let error: DotenvError
        var testDescription: String { text.debugDescription }
    }

    static let refused: [Refusal] = [
        Refusal(text: "A=1\nhunter2-no-equals-sign", error: DotenvError(line: 2, reason: "expected KEY=value")),
        Refusal(text: "export hunter2", error: DotenvError(line: 1, reason: "expected KEY=value")),
        Refusal(text: "=hunter2", error: DotenvError(line: 1, reason: "the key before '=' is empty")),
        Refusal(text: "#\n\nMY KEY=hunter2", error: DotenvError(line: 3, reason: "a key may hold only letters, digits, '_', '.', '/' and '-'")),
        Refusal(text: "KÉY=hunter2", error: DotenvError(line: 1, reason: "a key may hold only letters, digits, '_', '.', '/' and '-'")),
        Refusal(text: "A='hunter2", error: DotenvError(line: 1, reason: "the single-quoted value has no closing quote")),
        Refusal(text: "A=\"hunter2\nB=2\"", error: DotenvError(line: 1, reason: "the double-quoted value has no closing quote")),
        Refusal(text: #"A="hunter2\""#, error: DotenvError(line: 1, reason: "the double-quoted value has no closing quote")),
        Refusal(text: "A=\"hunter\"2", error: DotenvError(line: 1, reason: "only white space or a comment may follow the closing quote")),
        Refusal(text: "A='hunter' 2", error: DotenvError(line: 1, reason: "only white space or a comment may follow the closing quote")),
    ]

    @Test(arguments: refused)
    func refusesMalformedLinesByNumberWithoutQuotingThem(_ example: Refusal) {
        let error = #expect(throws: DotenvError.self) { try Dotenv.parse(example.text) }
        #expect(error == example.error)
        #expect(error?.description.contains("hunter") == false)
    }

    @Test func formatsSortedLinesQuotingOnlyWhatNeedsIt() {
        let variables = [
            "PLAIN": "abc-XYZ_0.9/:@%+,",
            "EMPTY": "",
            "SPACE": "two words",
            "ESCAPES": "back\\slash \"quote\" $HOME\nnext\rline",
            "HASH": "#x",
            "QUOTE": "it's",
            "UNICODE": "héllo",
        ]
        #expect(
            Dotenv.format(variables) == """
                EMPTY=
                ESCAPES="back\\\\slash \\"quote\\" \\$HOME\\nnext\\rline"
                HASH="#x"
                PLAIN=abc-XYZ_0.9/:@%+,
                QUOTE="it's"
                SPACE="two words"
                UNICODE="héllo"

                """
        )
        #expect(Dotenv.format([:]) == "")
    }

    static let roundTripped: [[String: String]] = [
        ["A": "1"],
        ["A": "", "B": " ", "C": "  padded  "],
        ["TEMPLATE": "${NODE_ENV}", "DOLLAR": "$$ and $${ESCAPED}"],
        ["NEWLINES": "\n\nmiddle\n\n", "CR": "a\r\nb", "TAB": "\t"],
        ["QUOTES": #"'single' "double" \"escaped\""#, "BACKSLASHES": #"\\n \t \ \\"#],
        ["COMMENTISH": "value # not a comment", "HASH": "#", "EQUALS": "a=b", "EXPORT": "export X=1"],
        ["UNICODE": "héllo ✓ 日本", "EMOJI": "🔑"],
        ["lower.case/key-1": "x", "9LIVES": "y"],
    ]

    @Test(arguments: roundTripped)
    func formattedValuesParseBackUnchanged(_ variables: [String: String]) throws {
        #expect(try Dotenv.parse(Dotenv.format(variables)) == variables)
    }

    @Test func everyPrintableASCIIValueRoundTrips() throws {
        let printable = (0x20...0x7e).map { Character(Unicode.Scalar(UInt8($0))) }
        var variables: [String: String] = [:]
        for (index, character) in printable.enumerated() {
            variables["ONE_\(index)"] = String(character)
            variables["MIDDLE_\(index)"] = "a\(character)b"
            variables["EDGES_\(index)"] = "\(character)x\(character)"
        }
        #expect(try Dotenv.parse(Dotenv.format(variables)) == variables)
    }
}
