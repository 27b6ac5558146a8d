import CofferCrypto
import Foundation
import Testing

@Suite struct MasterKeyringTests {
    let first = MasterKey.generate()
    let second = MasterKey.generate()

    @Test func aSingleLineFileIsARingOfOneKey() throws {
        let ring = try MasterKeyring(text: first.base64 + "\n")
        #expect(ring.primary.id == first.id)
        #expect(ring.ids == [first.id])
    }

    @Test func severalKeysByLineOrCommaKeepTheirOrderAndTheFirstIsPrimary() throws {
        for text in ["\(second.base64)\n\(first.base64)\n", "\r\n  \(second.base64)  \r\n\r\n\(first.base64)", "\(second.base64),\(first.base64)"] {
            let ring = try MasterKeyring(text: text)
            #expect(ring.primary.id == second.id)
            #expect(ring.ids == [second.id, first.id])
            #expect(ring.key(id: first.id)?.base64 == first.base64)
        }
        #expect(try MasterKeyring(text: MasterKeyring(primary: second, others: [first, second]).text).ids == [second.id, first.id])
    }

    @Test func aBadLineIsNamedByNumberNeverByItsText() throws {
        let bad = String(first.base64.dropLast(4))
        let error = #expect(throws: CryptoError.self) { try MasterKeyring(text: "\(second.base64)\n\n\(bad)\n") }
        #expect(error?.code == .invalidMasterKey)
        #expect(error?.description.hasPrefix("line 3:") == true)
        #expect(error?.description.contains(bad) == false)
        #expect(error?.description.contains(second.base64) == false)
        let comma = #expect(throws: CryptoError.self) { try MasterKeyring(text: "\(second.base64),nope") }
        #expect(comma?.description.hasPrefix("line 1, entry 2:") == true)
        #expect(throws: CryptoError.self) { try MasterKeyring(text: " \n\n") }
    }

    @Test func keyIDsAreStableDistinctAndRevealNothing() throws {
        #expect(first.id == (try MasterKey(base64: first.base64)).id)
        #expect(first.id != second.id)
        #expect(first.id.count == 16)
        #expect(first.id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let bytes = Data(base64Encoded: first.base64)!
        let hexOfKey = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(!hexOfKey.contains(first.id), "the id is not a slice of the key")
    }
}
