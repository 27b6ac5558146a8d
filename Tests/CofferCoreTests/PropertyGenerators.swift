import PropertyBased

@testable import CofferCore

/// Generators shared by the property tests.
enum Generators {
    static let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789").map { $0.unicodeScalars.first! }

    /// Every scalar `\s` matches in an ECMA-262 pattern.
    static let whitespace: [Unicode.Scalar] =
        ([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]
        + Array(0x2000...0x200A)).map { Unicode.Scalar($0)! }

    static let nameSeparators: [Unicode.Scalar] = ["-"] + whitespace

    /// A word of 1...`maximum` ASCII letters and digits.
    static func word(_ rng: inout any SeededRandomNumberGenerator, maximum: Int = 12) -> String.UnicodeScalarView {
        var word = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 1...maximum, using: &rng) {
            word.append(alphanumerics.randomElement(using: &rng)!)
        }
        return word
    }

    /// Names from the grammar of the name pattern: words joined by single separators, 3-100 scalars.
    static let groupName = Generator<String, Shrink.None<String>> { rng in
        var scalars = word(&rng)
        let words = Int.random(in: 0...10, using: &rng)
        for _ in 0..<words {
            let separator = nameSeparators.randomElement(using: &rng)!
            let next = word(&rng)
            guard scalars.count + 1 + next.count <= 100 else { break }
            scalars.append(separator)
            scalars.append(contentsOf: next)
        }
        while scalars.count < 3 { scalars.append(alphanumerics.randomElement(using: &rng)!) }
        return String(scalars)
    }

    /// Slugs (`stageId`, `tags[]`): words joined by single hyphens, 3-100 scalars.
    static let slug = Generator<String, Shrink.None<String>> { rng in
        var scalars = word(&rng)
        for _ in 0..<Int.random(in: 0...10, using: &rng) {
            let next = word(&rng)
            guard scalars.count + 1 + next.count <= 100 else { break }
            scalars.append("-")
            scalars.append(contentsOf: next)
        }
        while scalars.count < 3 { scalars.append(alphanumerics.randomElement(using: &rng)!) }
        return String(scalars)
    }

    /// Any Unicode scalar, biased towards ASCII and the BMP where the interesting cases are.
    static func anyScalar(_ rng: inout any SeededRandomNumberGenerator) -> Unicode.Scalar {
        while true {
            let upper: UInt32 = [0x7F, 0xFF, 0x3100, 0xFFFF, 0x10FFFF].randomElement(using: &rng)!
            if let scalar = Unicode.Scalar(UInt32.random(in: 0...upper, using: &rng)) { return scalar }
        }
    }

    /// A scalar the name pattern's alphabet does not contain: not an ASCII letter or digit, not `-`, not `\s`.
    static func scalarOutsideNameAlphabet(_ rng: inout any SeededRandomNumberGenerator) -> Unicode.Scalar {
        while true {
            let scalar = anyScalar(&rng)
            if !alphanumerics.contains(scalar) && !nameSeparators.contains(scalar) { return scalar }
        }
    }

    /// A name that is valid except for one scalar outside the alphabet somewhere in it.
    static let nameWithForeignScalar = Generator<String, Shrink.None<String>> { rng in
        var scalars = String(groupName.run(using: &rng)).unicodeScalars
        let position = scalars.index(scalars.startIndex, offsetBy: Int.random(in: 0...scalars.count, using: &rng))
        scalars.insert(scalarOutsideNameAlphabet(&rng), at: position)
        return String(scalars)
    }

    /// Short strings over an alphabet mixing pattern characters with near misses, for comparing against an oracle.
    static func mixedString(_ alphabet: [Unicode.Scalar], maximum: Int) -> Generator<String, Shrink.None<String>> {
        Generator { rng in
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...maximum, using: &rng) {
                scalars.append(alphabet.randomElement(using: &rng)!)
            }
            return String(scalars)
        }
    }

    /// Strings of arbitrary Unicode scalars, including controls, quotes, backslashes and astral characters.
    static let anyString = Generator<String, Shrink.None<String>> { rng in
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            scalars.append(anyScalar(&rng))
        }
        return String(scalars)
    }
}

/// ASCII letters: what `[a-zA-Z]` matches.
func containsASCIILetter(_ text: String) -> Bool {
    text.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
}

/// An oracle for the name pattern written differently from the implementation: split on separators,
/// every piece must be a non-empty run of ASCII letters and digits.
func isGroupName(_ text: String) -> Bool {
    let separators = Set(Generators.nameSeparators)
    var pieces: [[Unicode.Scalar]] = [[]]
    for scalar in text.unicodeScalars {
        if separators.contains(scalar) { pieces.append([]) } else { pieces[pieces.count - 1].append(scalar) }
    }
    return pieces.allSatisfy { !$0.isEmpty && $0.allSatisfy(Generators.alphanumerics.contains) }
}
