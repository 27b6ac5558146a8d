/// The reference API's field patterns. They are JSON-Schema (ECMA-262) patterns, which search the string,
/// so only the anchored ones constrain the whole value; each is matched by hand, exactly as written.
public enum Pattern: Sendable, CaseIterable {
    /// `name`: words of letters and digits joined by single hyphens or whitespace characters.
    case groupName
    /// `description`: letters, digits, whitespace and common punctuation.
    case description
    /// `stageId`, `tags[]`: words of letters and digits joined by single hyphens.
    case slug
    /// `restrictions.nfObjects[].id`, `addonId`: letters, digits and hyphens.
    case objectIdentifier
    /// `keys[].keyName`: unanchored, so it only asks for an ASCII letter somewhere.
    case keyName
    /// `keys[].aliases[]`: letters, digits and `_ . / -`, possibly empty.
    case alias
    /// Keys of `secrets.variables`.
    case variableName
    /// Keys of `secrets.dockerSecretMounts`.
    case dockerSecretMountName

    /// The pattern as the reference schema writes it; validation messages quote it.
    public var source: String {
        switch self {
        case .groupName: #"^[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*$"#
        case .description: #"^[a-zA-Z0-9.,?\s\\/'"()[\];`%^&*\-_:!]+$"#
        case .slug: #"^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"#
        case .objectIdentifier: #"^[A-Za-z0-9-]+$"#
        case .keyName: #"[a-zA-Z]+"#
        case .alias: #"^[a-zA-Z0-9_./-]*$"#
        case .variableName: #"^[a-zA-Z0-9_./-]+$"#
        case .dockerSecretMountName: #"^[a-zA-Z0-9_.-]+$"#
        }
    }

    /// Whether `text` matches, with ECMA-262 semantics (`\s` is Unicode white space and line terminators).
    public func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        switch self {
        case .groupName:
            return Self.matchesWords(scalars) { $0 == "-" || $0.isECMAScriptWhitespace }
        case .slug:
            return Self.matchesWords(scalars) { $0 == "-" }
        case .description:
            return !scalars.isEmpty
                && scalars.allSatisfy { $0.isASCIIAlphanumeric || $0.isECMAScriptWhitespace || Self.descriptionPunctuation.contains($0) }
        case .objectIdentifier:
            return !scalars.isEmpty && scalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        case .keyName:
            return scalars.contains { $0.isASCIILetter }
        case .alias:
            return scalars.allSatisfy(Self.isPathCharacter)
        case .variableName:
            return !scalars.isEmpty && scalars.allSatisfy(Self.isPathCharacter)
        case .dockerSecretMountName:
            return !scalars.isEmpty && scalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" || $0 == "." || $0 == "-" }
        }
    }

    private static let descriptionPunctuation: Set<Unicode.Scalar> = [
        ".", ",", "?", "\\", "/", "'", "\"", "(", ")", "[", "]", ";", "`", "%", "^", "&", "*", "-", "_", ":", "!",
    ]

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCIIAlphanumeric || scalar == "_" || scalar == "." || scalar == "/" || scalar == "-"
    }

    /// `^W+(S W+)*$` where W is `[a-zA-Z0-9]` and S one separator character.
    private static func matchesWords(_ scalars: String.UnicodeScalarView, isSeparator: (Unicode.Scalar) -> Bool) -> Bool {
        var afterSeparator = true
        for scalar in scalars {
            if scalar.isASCIIAlphanumeric {
                afterSeparator = false
            } else if isSeparator(scalar), !afterSeparator {
                afterSeparator = true
            } else {
                return false
            }
        }
        return !afterSeparator
    }
}
