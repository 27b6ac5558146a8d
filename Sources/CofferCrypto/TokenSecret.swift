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

    /// The shortest token text accepted from an operator (`COFFER_ADMIN_TOKEN`): 32 characters, about 190 bits if random.
    public static let minimumLength = 32
}
