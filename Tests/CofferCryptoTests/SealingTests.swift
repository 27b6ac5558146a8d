import CofferCrypto
import Foundation
import Testing

@Suite struct SealingTests {
    let context = SealContext.groupValues(team: "default", project: "demo", group: "example-secret", version: 1)

    @Test func sealedValueOpensWithSameKeyAndContext() throws {
        let key = DataKey.generate()
        let sealed = try key.seal(Data("NODE_ENV=production".utf8), context: context)
        #expect(try key.open(sealed, context: context) == Data("NODE_ENV=production".utf8))
    }

    @Test func ciphertextDoesNotContainPlaintextAndNoncesDiffer() throws {
        let key = DataKey.generate()
        let plaintext = Data("some_connection_string".utf8)
        let first = try key.seal(plaintext, context: context)
        let second = try key.seal(plaintext, context: context)
        #expect(first.range(of: plaintext) == nil)
        #expect(first != second)
    }

    @Test(arguments: [
        SealContext.groupValues(team: "default", project: "demo", group: "other-group", version: 1),
        SealContext.groupValues(team: "default", project: "other", group: "example-secret", version: 1),
        SealContext.groupValues(team: "other", project: "demo", group: "example-secret", version: 1),
        SealContext.groupValues(team: "default", project: "demo", group: "example-secret", version: 2),
        SealContext.dataKey(team: "default", project: "demo", generation: 1),
    ])
    func wrongAssociatedDataFailsToOpen(other: SealContext) throws {
        let key = DataKey.generate()
        let sealed = try key.seal(Data("value".utf8), context: context)
        #expect(throws: CryptoError.self) { try key.open(sealed, context: other) }
    }

    @Test func wrongKeyFailsToOpen() throws {
        let sealed = try DataKey.generate().seal(Data("value".utf8), context: context)
        let error = #expect(throws: CryptoError.self) { try DataKey.generate().open(sealed, context: context) }
        #expect(error?.code == .authenticationFailed)
    }

    @Test(arguments: [1, 5, 13, 20, -1])
    func tamperedByteFailsToOpen(position: Int) throws {
        let key = DataKey.generate()
        var sealed = try key.seal(Data("value to protect".utf8), context: context)
        let index = position >= 0 ? position : sealed.count - 1
        sealed[index] ^= 0x01
        #expect(throws: CryptoError.self) { try key.open(sealed, context: context) }
    }

    @Test func truncatedOrUnknownFormatFailsToOpen() throws {
        let key = DataKey.generate()
        let sealed = try key.seal(Data("value".utf8), context: context)
        #expect(throws: CryptoError.self) { try key.open(sealed.prefix(10), context: context) }
        #expect(throws: CryptoError.self) { try key.open(Data(), context: context) }
        var unknownFormat = sealed
        unknownFormat[0] = 9
        let error = #expect(throws: CryptoError.self) { try key.open(unknownFormat, context: context) }
        #expect(error?.code == .unsupportedFormat)
    }
}

@Suite struct MasterKeyTests {
    @Test func dataKeyWrapsAndUnwrapsOnlyUnderItsMasterKeyAndContext() throws {
        let master = MasterKey.generate()
        let dataKey = DataKey.generate()
        let context = SealContext.dataKey(team: "default", project: "demo", generation: 1)
        let wrapped = try master.wrap(dataKey, context: context)
        let unwrapped = try master.unwrap(wrapped, context: context)
        let valueContext = SealContext.groupValues(team: "default", project: "demo", group: "g", version: 1)
        #expect(try unwrapped.open(try dataKey.seal(Data("v".utf8), context: valueContext), context: valueContext) == Data("v".utf8))
        #expect(throws: CryptoError.self) { try MasterKey.generate().unwrap(wrapped, context: context) }
        #expect(throws: CryptoError.self) {
            try master.unwrap(wrapped, context: .dataKey(team: "default", project: "other", generation: 1))
        }
    }

    @Test func checkValueVerifiesOnlyItsOwnKey() throws {
        let master = MasterKey.generate()
        let check = try master.makeCheckValue()
        try master.verify(checkValue: check)
        let error = #expect(throws: CryptoError.self) { try MasterKey.generate().verify(checkValue: check) }
        #expect(error?.code == .masterKeyMismatch)
    }

    @Test func textFormRoundTripsAndIsStrict() throws {
        let master = MasterKey.generate()
        let reread = try MasterKey(base64: "  \(master.base64)\n")
        #expect(reread.base64 == master.base64)
        #expect(throws: CryptoError.self) { try MasterKey(base64: "not base64!") }
        #expect(throws: CryptoError.self) { try MasterKey(base64: Data(count: 16).base64EncodedString()) }
        #expect(throws: CryptoError.self) { try MasterKey(base64: Data(count: 33).base64EncodedString()) }
        let error = #expect(throws: CryptoError.self) { try MasterKey(base64: "") }
        #expect(error?.description.contains(master.base64) == false)
    }
}

@Suite struct TokenSecretTests {
    @Test func tokensCarry256RandomBitsAndHashStably() {
        let token = TokenSecret.generate()
        #expect(token.hasPrefix("coffer_"))
        #expect(token.count == "coffer_".count + 43)
        #expect(token != TokenSecret.generate())
        #expect(TokenSecret.hash(token) == TokenSecret.hash(token))
        #expect(TokenSecret.hash(token).count == 32)
        #expect(TokenSecret.hash(token) != TokenSecret.hash(TokenSecret.generate()))
    }
}
