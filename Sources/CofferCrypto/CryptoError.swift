/// Why a key could not be loaded or a sealed value could not be opened. Never carries key material or plaintext.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public static let invalidMasterKey = Code(name: "invalidMasterKey")
        public static let masterKeyMismatch = Code(name: "masterKeyMismatch")
        public static let unsupportedFormat = Code(name: "unsupportedFormat")
        public static let authenticationFailed = Code(name: "authenticationFailed")
        public var description: String { name }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
