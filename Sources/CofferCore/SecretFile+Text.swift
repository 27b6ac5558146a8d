import Foundation

extension SecretFile {
    /// The file's text in its declared encoding; nil for `binary` or bytes that are not valid in that encoding.
    public var text: String? {
        switch encoding {
        // String(validating:) keeps a byte order mark as U+FEFF, so re-encoding gives the same bytes back.
        case .utf8, .ascii: String(validating: data, as: UTF8.self)
        case .latin1: String(data: data, encoding: .isoLatin1)
        case .utf16le: String(data: data, encoding: .utf16LittleEndian)
        case .binary: nil
        }
    }

    /// The same file holding `text`, encoded as this file is; nil when the text cannot be encoded that way.
    public func replacingText(with text: String) -> SecretFile? {
        let data: Data? =
            switch encoding {
            case .utf8: Data(text.utf8)
            case .ascii: text.data(using: .ascii)
            case .latin1: text.data(using: .isoLatin1)
            case .utf16le: text.data(using: .utf16LittleEndian)
            case .binary: nil
            }
        return data.map { SecretFile(data: $0, encoding: encoding) }
    }

    /// The file with `${NAME}` templates substituted from `variables`, when its encoding is text; warnings name `path`.
    public func substituted(from variables: [String: String], cyclic: Set<String>, path: String) -> (SecretFile, [String]) {
        guard let text, text.contains("${") || text.contains("$${") else { return (self, []) }
        let (rendered, warnings) = Template.render(text, context: path, variables: variables, cyclic: cyclic)
        guard let file = replacingText(with: rendered) else {
            return (self, warnings + ["\(path): the substituted text cannot be encoded as \(encoding.rawValue); left as stored"])
        }
        return (file, warnings)
    }
}
