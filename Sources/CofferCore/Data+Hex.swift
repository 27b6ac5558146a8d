import Foundation

extension Data {
    /// Lowercase hexadecimal, two digits a byte: how hashes and ids are shown.
    public var lowercaseHex: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
