/// Identifiers derived from names, as the reference API derives them.
public enum Identifier {
    /// The name lowercased with every whitespace character replaced by `-` ("Example Secret" -> "example-secret").
    /// Names differing only in case or in space-vs-hyphen derive to the same identifier.
    public static func derived(fromName name: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if scalar.isECMAScriptWhitespace {
                result.append("-")
            } else if scalar.value >= 0x41 && scalar.value <= 0x5A {
                result.append(Unicode.Scalar(scalar.value + 0x20)!)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

extension Unicode.Scalar {
    /// Whether this scalar matches `\s` in an ECMA-262 (JSON Schema) pattern: white space and line terminators.
    public var isECMAScriptWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// Whether this scalar is an ASCII letter or digit, `[a-zA-Z0-9]`.
    public var isASCIIAlphanumeric: Bool {
        isASCIILetter || (value >= 0x30 && value <= 0x39)
    }

    /// Whether this scalar is an ASCII letter, `[a-zA-Z]`.
    public var isASCIILetter: Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }
}
