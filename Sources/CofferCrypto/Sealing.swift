import Crypto
import Foundation

/// AES-256-GCM with a random nonce and the context as associated data, in a versioned format.
enum Sealing {
    static let formatVersion: UInt8 = 1

    static func seal(_ plaintext: some DataProtocol, using key: SymmetricKey, context: SealContext) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: context.associatedData)
        var sealed = Data([formatVersion])
        sealed.append(box.combined!)  // Always present for the default 12-byte nonce.
        return sealed
    }

    static func open(_ sealed: Data, using key: SymmetricKey, context: SealContext) throws(CryptoError) -> Data {
        guard let version = sealed.first, version == formatVersion else {
            throw CryptoError(.unsupportedFormat, "sealed value has an unknown format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: context.associatedData)
        } catch {
            throw CryptoError(.authenticationFailed, "sealed value failed authentication (wrong key, wrong context or tampered)")
        }
    }
}
