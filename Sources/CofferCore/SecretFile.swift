import Foundation

/// A secret file or Docker build-secret mount: its bytes and the text encoding they had.
/// On the wire `data` is base64; in memory it is the decoded bytes, so templating and size limits see the real file.
public struct SecretFile: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    public var data: Data
    public var encoding: FileEncoding

    public init(data: Data, encoding: FileEncoding = .utf8) {
        self.data = data
        self.encoding = encoding
    }

    enum CodingKeys: String, CodingKey {
        case data
        case encoding
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .data)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "data is not valid base64")
        }
        self.data = data
        self.encoding = try container.decodeIfPresent(FileEncoding.self, forKey: .encoding) ?? .utf8
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if encoder.withholdsValues {
            try container.encodeNil(forKey: .data)
        } else {
            try container.encode(data.base64EncodedString(), forKey: .data)
        }
        try container.encode(encoding, forKey: .encoding)
    }

    /// Redacted: a file's bytes are secret.
    public var description: String { "SecretFile(\(data.count) bytes, \(encoding.rawValue))" }
}

extension SecretFile {
    public var debugDescription: String { description }
}
