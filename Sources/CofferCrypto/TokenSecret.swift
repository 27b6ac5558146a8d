import Crypto
import Foundation

/// Token text and its stored form. Tokens carry 256 random bits behind a `coffer_` prefix (so secret scanners can
/// spot a leaked one); the store keeps only a SHA-256 hash, which is safe for values this random.
public enum TokenSecret {
    public static let prefix = "coffer_"

    /// A fresh token text: `coffer_` and 43 base64url characters.
    public static func generate() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    /// The stored form of a token text.
    public static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// Compares two hashes in time that depends only on their length.
    public static func constantTimeEquals(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// A new token id: `tok-` and 16 random hex digits. Ids are public (they name the token in lists and the audit log).
    public static func generateID() -> String {
        let bytes = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0.prefix(8)) }
        return "tok-" + bytes.lowercaseHex
    }

    /// The shortest token text accepted from an operator (`COFFER_ADMIN_TOKEN`): 32 characters, about 190 bits if random.
    public static let minimumLength = 32
}
