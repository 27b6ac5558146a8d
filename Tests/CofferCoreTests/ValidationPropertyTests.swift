import PropertyBased
import Testing

@testable import CofferCore

@Suite("Validation properties")
struct ValidationPropertyTests {
    @Test("every name from the name grammar validates and derives a slug id")
    func grammarNamesValidate() async {
        await propertyCheck(count: 300, input: Generators.groupName) { name in
            let definition = try SecretGroupDefinition(validating: try body(#""name": \#(jsonQuoted(name))"#))
            #expect(Array(definition.name.unicodeScalars) == Array(name.unicodeScalars))
            let id = definition.id
            #expect(id.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil)
            #expect(id.unicodeScalars.count == name.unicodeScalars.count)
            #expect(Identifier.derived(fromName: id) == id)
            #expect(id == Identifier.derived(fromName: name))
        }
    }

    @Test("a name and its id, or any case or separator variant, derive the same id")
    func variantsCollide() async {
        await propertyCheck(input: Generators.groupName, Gen.bool) { name, upper in
            let variant = String(
                String.UnicodeScalarView(
                    name.unicodeScalars.map { scalar -> Unicode.Scalar in
                        if Generators.whitespace.contains(scalar) { return "-" }
                        guard scalar.isASCIILetter else { return scalar }
                        return Unicode.Scalar(upper ? scalar.value & ~0x20 : scalar.value | 0x20)!
                    }
                )
            )
            #expect(Identifier.derived(fromName: variant) == Identifier.derived(fromName: name))
        }
    }

    @Test("a name holding a character outside the pattern's alphabet is refused at name")
    func foreignCharactersRefused() async {
        await propertyCheck(count: 300, input: Generators.nameWithForeignScalar) { name in
            #expect(!Pattern.groupName.matches(name))
            let error = try #require(validationError(try body(#""name": \#(jsonQuoted(name))"#)))
            #expect(error.messages(at: "name").contains(Message.namePattern))
            #expect(error.issues.map(\.path) == ["name"])
        }
    }

    @Test("the name pattern agrees with a split-based oracle")
    func namePatternOracle() async {
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", "-", " ", "\t", "\u{3000}", "_", "\u{E9}", "\u{85}", "\u{200B}"]
        await propertyCheck(count: 1000, input: Generators.mixedString(alphabet, maximum: 7)) { text in
            #expect(Pattern.groupName.matches(text) == isGroupName(text))
        }
    }

    @Test("every slug from the slug grammar is a valid stageId and tag")
    func slugsValidate() async {
        await propertyCheck(count: 200, input: Generators.slug) { slug in
            let text = #""stageId": "\#(slug)", "tags": ["\#(slug)"], "restrictions": {"stageIds": ["\#(slug)"], "tags": ["\#(slug)"]}"#
            let definition = try SecretGroupDefinition(validating: try body(text))
            #expect(definition.stageId == slug)
            #expect(definition.tags == [slug])
            #expect(definition.restrictions.stageIds == [slug])
        }
    }

    @Test("every integer in 0...100 is a valid priority")
    func prioritiesInRange() async {
        await propertyCheck(count: 101, input: Gen.int(in: 0...100)) { priority in
            let definition = try SecretGroupDefinition(validating: try body(#""priority": \#(priority)"#))
            #expect(definition.priority == priority)
        }
    }

    @Test("every integer outside 0...100 is refused as out of range")
    func prioritiesOutOfRange() async {
        let outside = Gen.int().filter { !(0...100).contains($0) }
        await propertyCheck(count: 300, input: outside) { priority in
            let error = try #require(validationError(try body(#""priority": \#(priority)"#)))
            #expect(error.issueMap == ["priority": [Message.priorityRange]])
        }
        await propertyCheck(input: Gen.int(in: -1000 ... -1)) { priority in
            let error = try #require(validationError(try body(#""priority": \#(priority)"#)))
            #expect(error.issueMap == ["priority": [Message.priorityRange]])
        }
    }

    @Test("every number with a fraction or exponent is refused as not an integer")
    func prioritiesNotIntegers() async {
        await propertyCheck(input: Gen.int(in: 0...100), Gen.int(in: 0...999), Gen.int(in: 0...2)) { whole, fraction, form in
            let literal = ["\(whole).\(fraction)", "\(whole)e\(fraction % 3)", "\(whole).\(fraction)E-1"][form]
            let error = try #require(validationError(try body(#""priority": \#(literal)"#)))
            #expect(error.issueMap == ["priority": [Message.integer]])
        }
    }

    @Test("Pattern.keyName matches exactly the strings that contain an ASCII letter")
    func keyNameNeedsALetter() async {
        let alphabet: [Unicode.Scalar] = [
            "a", "Q", "z", "0", "9", "_", "-", ".", " ", "\u{E9}", "\u{DF}", "\u{3A9}", "\u{436}", "\u{FF21}", "@", "[",
        ]
        await propertyCheck(count: 500, input: Generators.mixedString(alphabet, maximum: 6)) { keyName in
            #expect(Pattern.keyName.matches(keyName) == containsASCIILetter(keyName))
        }
        await propertyCheck(count: 200, input: Generators.anyString) { keyName in
            #expect(Pattern.keyName.matches(keyName) == containsASCIILetter(keyName))
        }
    }

    @Test("a keyName validates exactly when it contains an ASCII letter")
    func keyNameValidation() async {
        let alphabet: [Unicode.Scalar] = ["k", "K", "1", "_", "-", "/", "\u{E9}", "\u{1F600}", "\""]
        await propertyCheck(count: 300, input: Generators.mixedString(alphabet, maximum: 5)) { keyName in
            let text = #""addonDependencies": [{"addonId": "db", "keys": [{"keyName": \#(jsonQuoted(keyName))}]}]"#
            let value = try body(text)
            if containsASCIILetter(keyName) {
                let definition = try SecretGroupDefinition(validating: value)
                #expect(definition.addonDependencies.first?.keys.first?.keyName == keyName)
            } else {
                let error = try #require(validationError(value))
                #expect(error.issueMap == ["addonDependencies[0].keys[0].keyName": [Message.keyNamePattern]])
            }
        }
    }

    @Test("any string value of a variable is stored exactly")
    func variableValuesStored() async {
        await propertyCheck(count: 300, input: Generators.anyString) { value in
            let text = #""secrets": {"variables": {"V": \#(jsonQuoted(value))}}"#
            let definition = try SecretGroupDefinition(validating: try body(text))
            #expect(definition.secrets.variables["V"].map { Array($0.unicodeScalars) } == Array(value.unicodeScalars))
        }
    }

    @Test("a description of allowed characters validates up to 200 characters")
    func descriptions() async {
        let alphabet = Generators.alphanumerics + Array(#".,?\/'"()[];`%^&*-_:!"#.unicodeScalars) + Generators.whitespace
        await propertyCheck(count: 300, input: Generators.mixedString(alphabet, maximum: 220)) { description in
            let value = try body(#""description": \#(jsonQuoted(description))"#)
            let count = description.unicodeScalars.count
            if (1...200).contains(count) {
                #expect(try SecretGroupDefinition(validating: value).description == description)
            } else {
                let error = try #require(validationError(value))
                #expect(error.messages(at: "description") == [count == 0 ? Message.descriptionPattern : Message.atMost200])
            }
        }
    }
}
