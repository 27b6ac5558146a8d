import Testing

@testable import CofferCore

@Suite("Template substitution")
struct TemplateTests {
    @Test("${NAME} is replaced by the value of NAME")
    func simpleReference() {
        let result = Template.substitute(["ENV": "production", "LABEL": "running in ${ENV} mode"])
        #expect(result.values == ["ENV": "production", "LABEL": "running in production mode"])
        #expect(result.warnings.isEmpty)
        #expect(result.cyclic.isEmpty)
    }

    @Test("references resolve recursively: A -> B -> C")
    func recursiveReferences() {
        let result = Template.substitute(["A": "a(${B})", "B": "b(${C})", "C": "c"])
        #expect(result.values == ["A": "a(b(c))", "B": "b(c)", "C": "c"])
        #expect(result.warnings.isEmpty)
    }

    @Test("names may use the variable alphabet: letters, digits, _ . / -")
    func namesWithPathCharacters() {
        let result = Template.substitute(["app.db/host-1_x": "db", "URL": "${app.db/host-1_x}:1"])
        #expect(result.values["URL"] == "db:1")
    }

    @Test("several references and repeats in one value")
    func manyReferences() {
        let result = Template.substitute(["H": "host", "P": "1", "U": "${H}:${P}/${H}"])
        #expect(result.values["U"] == "host:1/host")
    }

    @Test("$${X} is the literal ${X}, and is not substituted again by a referring value")
    func escapedReference() {
        let result = Template.substitute(["X": "x", "LITERAL": "$${X}", "REFERS": "${LITERAL}"])
        #expect(result.values["LITERAL"] == "${X}")
        #expect(result.values["REFERS"] == "${X}")
        #expect(result.warnings.isEmpty)
    }

    @Test("an unknown name is left as written and reported")
    func unknownNameLeftAsWritten() throws {
        let result = Template.substitute(["A": "before ${MISSING} after"])
        #expect(result.values["A"] == "before ${MISSING} after")
        let warning = try #require(result.warnings.only)
        #expect(warning.contains("A"))
        #expect(warning.contains("${MISSING}"))
    }

    @Test("a two-name cycle A <-> B is left as written and reported for both")
    func twoNameCycle() {
        let result = Template.substitute(["A": "a${B}", "B": "b${A}"])
        #expect(result.values == ["A": "a${B}", "B": "b${A}"])
        #expect(result.cyclic == ["A", "B"])
        #expect(result.warnings.count == 2)
        #expect(result.warnings.allSatisfy { $0.contains("cycle") })
    }

    @Test("a self-reference A -> A is a cycle, left as written and reported")
    func selfReference() throws {
        let result = Template.substitute(["A": "x${A}y", "B": "plain"])
        #expect(result.values == ["A": "x${A}y", "B": "plain"])
        #expect(result.cyclic == ["A"])
        let warning = try #require(result.warnings.only)
        #expect(warning.contains("cycle"))
    }

    @Test("a cycle member still gets its references to names outside the cycle substituted")
    func cycleMemberResolvesOutsideReferences() {
        let result = Template.substitute(["A": "${B}-${D}", "B": "${A}", "D": "d"])
        #expect(result.values["A"] == "${B}-d")
        #expect(result.values["B"] == "${A}")
        #expect(result.values["D"] == "d")
    }

    @Test("a name that only refers into a cycle resolves its non-cyclic parts and keeps the cyclic reference as written")
    func referenceIntoCycle() {
        let values = ["A": "${B}", "B": "${A}", "C": "${A}-${D}", "D": "d", "E": "${C}!"]
        let first = Template.substitute(values)
        #expect(first.values["C"] == "${A}-d")
        #expect(first.values["E"] == "${A}-d!")
        #expect(first.cyclic == ["A", "B"])
        #expect(first.warnings.contains { $0.hasPrefix("C:") && $0.contains("${A}") && $0.contains("cycle") })
        for _ in 0..<5 {
            let again = Template.substitute(values)
            #expect(again.values == first.values)
            #expect(again.warnings == first.warnings)
        }
    }

    @Test("a ${ without a closing brace stays literal")
    func unclosedStaysLiteral() {
        let result = Template.substitute(["A": "x", "B": "open ${A and no close", "C": "${"])
        #expect(result.values["B"] == "open ${A and no close")
        #expect(result.values["C"] == "${")
        #expect(result.warnings.isEmpty)
    }

    @Test("a ${...} whose name is not a valid key name stays literal", arguments: ["${}", "${A B}", "${A:B}", "${é}", "${A${B}"])
    func invalidNameStaysLiteral(text: String) {
        let result = Template.substitute(["A": "a", "A B": "ab", "T": text])
        #expect(result.values["T"] == text)
    }

    @Test("a lone $ and $$ without a brace are kept as they are")
    func dollarsWithoutBrace() {
        let result = Template.substitute(["A": "a", "T": "cost $5, $$ and $A and ${A}$"])
        #expect(result.values["T"] == "cost $5, $$ and $A and a$")
    }

    @Test("render substitutes a standalone text against already-substituted variables")
    func renderStandaloneText() {
        let (text, warnings) = Template.render("${A}/${NOPE}", context: "/etc/file", variables: ["A": "a"])
        #expect(text == "a/${NOPE}")
        #expect(warnings.only?.hasPrefix("/etc/file:") == true)
    }

    @Test("the reference syntax is read per Unicode scalar, not per grapheme cluster")
    func referencesAtGraphemeBoundaries() {
        // U+0600 is a prepended concatenation mark: it joins the following `$` into one grapheme cluster.
        let result = Template.substitute(["A": "a", "PREPENDED": "\u{600}${A}", "COMBINED": "${A}\u{301}"])
        #expect(result.values["PREPENDED"] == "\u{600}a")
        #expect(result.values["COMBINED"] == "a\u{301}")
    }
}
