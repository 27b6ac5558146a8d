import CofferCore
import Crypto
import Foundation

/// A SHA-256 over a sequence of typed fields, each framed by a tag and its length, so that two sides that feed the same
/// values in the same order get the same hex digest and no two different sequences run together into the same bytes.
/// What `coffer migrate` compares between the source and the target store; it never holds the fields themselves.
public struct ContentDigest: Sendable {
    private var hasher = SHA256()

    public init() {}

    /// Adds an absent value (SQL NULL), distinct from an empty string or empty bytes.
    public mutating func addNull() {
        frame(tag: 0, bytes: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Adds an integer as its 8 big-endian bytes.
    public mutating func add(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { frame(tag: 1, bytes: $0) }
    }

    /// Adds text as its UTF-8 bytes.
    public mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { frame(tag: 2, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Adds bytes as they are.
    public mutating func add(_ value: Data) {
        value.withUnsafeBytes { frame(tag: 3, bytes: $0) }
    }

    /// Lowercase hex of the SHA-256 of everything added so far.
    public var hex: String {
        Data(hasher.finalize()).lowercaseHex
    }

    private mutating func frame(tag: UInt8, bytes: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: tag) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: bytes)
    }
}

/// A plain SHA-256 over bytes as they come, in hex: what `sha256sum` prints for the same bytes.
public struct ByteDigest: Sendable {
    private var hasher = SHA256()

    public init() {}

    public mutating func add(_ bytes: some DataProtocol) {
        hasher.update(data: bytes)
    }

    public var hex: String {
        Data(hasher.finalize()).lowercaseHex
    }
}
