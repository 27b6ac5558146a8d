import Crypto
import Foundation

/// A per-project 256-bit AES key that seals the project's values; stored only wrapped by the master key.
public struct DataKey: Sendable {
    let key: SymmetricKey

    public static func generate() -> DataKey {
        DataKey(key: SymmetricKey(size: .bits256))
    }

    /// Seals `plaintext` for `context`: format byte, 12-byte nonce, ciphertext, 16-byte tag.
    public func seal(_ plaintext: some DataProtocol, context: SealContext) throws -> Data {
        try Sealing.seal(plaintext, using: key, context: context)
    }

    /// Opens a value sealed by `seal(_:context:)`; fails if the blob, the context or the key differ.
    public func open(_ sealed: Data, context: SealContext) throws(CryptoError) -> Data {
        try Sealing.open(sealed, using: key, context: context)
    }
}

extension MasterKey {
    /// Wraps a data key for storage.
    public func wrap(_ dataKey: DataKey, context: SealContext) throws -> Data {
        try dataKey.key.withUnsafeBytes { try Sealing.seal(Data($0), using: key, context: context) }
    }

    /// Unwraps a stored data key; fails under a different master key or context.
    public func unwrap(_ wrapped: Data, context: SealContext) throws(CryptoError) -> DataKey {
        DataKey(key: SymmetricKey(data: try Sealing.open(wrapped, using: key, context: context)))
    }

    /// A value that only this master key opens, stored once so a restart with another key is refused.
    public func makeCheckValue() throws -> Data {
        try Sealing.seal(Data("coffer master key check".utf8), using: key, context: .masterKeyCheck)
    }

    /// Throws `masterKeyMismatch` unless `checkValue` was made by this key.
    public func verify(checkValue: Data) throws(CryptoError) {
        do {
            _ = try Sealing.open(checkValue, using: key, context: .masterKeyCheck)
        } catch {
            throw CryptoError(.masterKeyMismatch, "the master key does not match the one this data was sealed with")
        }
    }
}
