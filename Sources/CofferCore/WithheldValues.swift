import Foundation

extension CodingUserInfoKey {
    /// Set to `true` on an encoder whose output goes to a caller without the permission to read the values: every
    /// value-carrying type then writes `null` in place of each value, keeping the keys (as the reference API does).
    public static let withholdsValues = CodingUserInfoKey(rawValue: "coffer.withholdsValues")!
}

extension Encoder {
    /// Whether values are to be written as `null` (see `CodingUserInfoKey.withholdsValues`).
    public var withholdsValues: Bool { userInfo[.withholdsValues] as? Bool == true }
}

extension KeyedEncodingContainer {
    /// Encodes a map of values, or the same keys with `null` values when the encoder withholds values.
    public mutating func encode(values: [String: String], forKey key: Key, withholding: Bool) throws {
        if withholding {
            try encode(values.mapValues { _ in String?.none }, forKey: key)
        } else {
            try encode(values, forKey: key)
        }
    }
}
