import Crypto
import Foundation

/// The key-encryption key: a 256-bit AES key that wraps every project's data key. It never touches the database.
public struct MasterKey: Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// A fresh random key.
    public static func generate() -> MasterKey {
        MasterKey(key: SymmetricKey(size: .bits256))
    }

    /// Reads the text form: base64 of exactly 32 bytes, surrounding whitespace ignored.
    public init(base64 text: String) throws(CryptoError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed) else {
            throw CryptoError(.invalidMasterKey, "the master key is not valid base64")
        }
        guard bytes.count == 32 else {
            throw CryptoError(.invalidMasterKey, "the master key must be base64 of 32 bytes, not \(bytes.count)")
        }
        self.init(key: SymmetricKey(data: bytes))
    }

    /// The text form, for writing a generated key to its file.
    public var base64: String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// A public name for the key, stored next to what it wraps: hex of the first 8 bytes of
    /// HMAC-SHA256(key, "coffer master key id"). A one-way function of the key, so it reveals nothing about it.
    public var id: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("coffer master key id".utf8), using: key)
        return mac.prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
