import Testing

@testable import CofferCore

@Suite("Identifier.derived(fromName:)")
struct IdentifierTests {
    @Test("the reference name derives to example-secret")
    func referenceName() {
        #expect(Identifier.derived(fromName: "Example Secret") == "example-secret")
    }

    @Test(
        "case and separator variants of a name collide",
        arguments: [
            "Example Secret", "example secret", "EXAMPLE SECRET", "eXaMpLe SeCrEt", "Example-Secret", "example-secret",
            "Example\tSecret", "Example\nSecret", "Example\rSecret", "Example\u{0B}Secret", "Example\u{0C}Secret",
        ]
    )
    func variantsCollide(_ name: String) {
        #expect(Identifier.derived(fromName: name) == "example-secret")
    }

    @Test(
        "every Unicode whitespace separator the name pattern allows becomes a hyphen",
        arguments: [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF,
        ] as [UInt32]
    )
    func unicodeWhitespace(_ value: UInt32) throws {
        let separator = try #require(Unicode.Scalar(value))
        let name = "Ab" + String(Character(separator)) + "Cd"
        #expect(Identifier.derived(fromName: name) == "ab-cd")
        #expect(try SecretGroupDefinition(validating: try body(#""name": \#(jsonQuoted(name))"#)).id == "ab-cd")
    }

    @Test("no-break and ideographic spaces")
    func namedSpaces() {
        #expect(Identifier.derived(fromName: "Example\u{00A0}Secret") == "example-secret")
        #expect(Identifier.derived(fromName: "Example\u{3000}Secret") == "example-secret")
        #expect(Identifier.derived(fromName: "Example\tSecret") == "example-secret")
    }

    @Test("only whitespace is replaced and only ASCII letters are lowercased")
    func otherCharactersKept() {
        #expect(Identifier.derived(fromName: "A  B") == "a--b")
        #expect(Identifier.derived(fromName: "Db2 Prod-EU 9") == "db2-prod-eu-9")
        #expect(Identifier.derived(fromName: "\u{C9}TAT") == "\u{C9}tat")
        #expect(Identifier.derived(fromName: "a_B.c") == "a_b.c")
        #expect(Identifier.derived(fromName: "ab\u{200B}cd") == "ab\u{200B}cd")
        #expect(Identifier.derived(fromName: "") == "")
    }

    @Test("deriving is idempotent", arguments: ["Example Secret", "A b C", "x\u{3000}Y", "already-an-id"])
    func idempotent(_ name: String) {
        let id = Identifier.derived(fromName: name)
        #expect(Identifier.derived(fromName: id) == id)
    }

    @Test("ECMAScript whitespace is exactly the set \\s matches")
    func whitespaceSet() {
        let expected: Set<UInt32> = Set([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF])
            .union(0x2000...0x200A)
        let found = Set((0...0x10FFFF as ClosedRange<UInt32>).filter { Unicode.Scalar($0)?.isECMAScriptWhitespace ?? false })
        #expect(found == expected)
        #expect(!Unicode.Scalar(0x85)!.isECMAScriptWhitespace)
        #expect(!Unicode.Scalar(0x200B)!.isECMAScriptWhitespace)
    }
}
