import Foundation
import PropertyBased
import Testing

@testable import CofferCore

/// Generators of template texts over a few names, so references, escapes and cycles are common.
enum TemplateGenerators {
    static let names = ["A", "B", "C", "D", "E"]
    static let pieces = ["x", "-", "$", "{", "}", "$$", "${", "é", " "]

    static func text(_ rng: inout any SeededRandomNumberGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: text += "${\((names + ["UNKNOWN"]).randomElement(using: &rng)!)}"
            case 1: text += "$${\(names.randomElement(using: &rng)!)}"
            default: text += pieces.randomElement(using: &rng)!
            }
        }
        return text
    }

    /// Name-value pairs (distinct names), and the same pairs in another order.
    static let pairs = Generator<([(String, String)], [(String, String)]), Shrink.None<([(String, String)], [(String, String)])>> { rng in
        let pairs = names.filter { _ in Int.random(in: 0..<5, using: &rng) > 0 }.map { ($0, text(&rng)) }
        return (pairs, pairs.shuffled(using: &rng))
    }

    /// Strings that never contain `${`: any scalars, plus the template characters on their own.
    static let plainText = Generator<String, Shrink.None<String>> { rng in
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            let scalar: Unicode.Scalar = Bool.random(using: &rng) ? ["$", "{", "}", "\\"].randomElement(using: &rng)! : Generators.anyScalar(&rng)
            if scalar == "{", scalars.last == "$" { continue }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}

@Suite("Template properties")
struct TemplatePropertyTests {
    @Test("substitution terminates and gives the same result from scratch, whatever the dictionary's insertion order")
    func substitutionIsStable() async {
        await propertyCheck(count: 300, input: TemplateGenerators.pairs, Gen.int(in: 0...64)) { input, capacity in
            let (pairs, shuffled) = input
            let values = Dictionary(uniqueKeysWithValues: pairs)
            var reordered = [String: String](minimumCapacity: capacity)
            for (name, value) in shuffled { reordered[name] = value }

            let first = Template.substitute(values)
            let second = Template.substitute(values)
            let third = Template.substitute(reordered)
            #expect(second.values == first.values)
            #expect(second.warnings == first.warnings)
            #expect(third.values == first.values)
            #expect(third.warnings == first.warnings)
            #expect(third.cyclic == first.cyclic)
            #expect(Set(first.values.keys) == Set(values.keys))
            #expect(first.cyclic.isSubset(of: Set(values.keys)))
        }
    }

    @Test("a cyclic name's references to other cyclic names are kept as written")
    func cyclicReferencesKept() async {
        await propertyCheck(count: 200, input: TemplateGenerators.pairs) { input in
            let values = Dictionary(uniqueKeysWithValues: input.0)
            let result = Template.substitute(values)
            for name in result.cyclic {
                let kept = Template.references(of: Template.parse(values[name]!)).filter(result.cyclic.contains)
                for reference in kept {
                    #expect(result.values[name]?.contains("${\(reference)}") == true)
                }
            }
        }
    }

    @Test("templating text without ${ is the identity, with no warnings")
    func plainTextIsIdentity() async {
        await propertyCheck(count: 300, input: TemplateGenerators.plainText) { text in
            let bytes = Array(text.utf8)
            #expect(!zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "$") && $1 == UInt8(ascii: "{") })
            let (rendered, warnings) = Template.render(text, context: "T", variables: ["A": "a"])
            #expect(Array(rendered.unicodeScalars) == Array(text.unicodeScalars))
            #expect(warnings.isEmpty)

            let substituted = Template.substitute(["T": text, "A": "a"])
            #expect(substituted.values["T"].map { Array($0.unicodeScalars) } == Array(text.unicodeScalars))
            #expect(substituted.warnings.isEmpty)

            let file = SecretFile(data: Data(text.utf8), encoding: .utf8)
            let (same, fileWarnings) = file.substituted(from: ["A": "a"], cyclic: [], path: "/f")
            #expect(same == file)
            #expect(fileWarnings.isEmpty)
        }
    }
}
