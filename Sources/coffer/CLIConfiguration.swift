import Foundation
import Yams

/// The CLI's saved contexts (`~/.config/coffer/config.yaml`, mode 0600): named server URLs with their tokens, and
/// which one is in use.
struct CLIConfiguration: Codable, Equatable {
    struct Context: Codable, Equatable {
        var name: String
        var url: String
        var token: String
    }

    var current: String?
    var contexts: [Context] = []

    /// `$XDG_CONFIG_HOME/coffer/config.yaml`, else `$HOME/.config/coffer/config.yaml`.
    static func path(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/coffer/config.yaml"
    }

    static func load(environment: [String: String]) throws -> CLIConfiguration {
        let path = path(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else { return CLIConfiguration() }
        do {
            return try YAMLDecoder().decode(CLIConfiguration.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw CLIError("Cannot read \(path): it is not a Coffer configuration file")
        }
    }

    /// Writes the file readable by its owner only (it holds tokens), replacing it atomically.
    func save(environment: [String: String]) throws {
        let path = Self.path(environment: environment)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = try YAMLEncoder().encode(self)
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("Cannot write \(path)")
        }
        guard rename(temporary, path) == 0 else { throw CLIError("Cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Adds or replaces the context `name` and makes it current.
    mutating func upsert(_ context: Context) {
        contexts.removeAll { $0.name == context.name }
        contexts.append(context)
        contexts.sort { $0.name < $1.name }
        current = context.name
    }
}

/// A failure to report as one line on standard error, exiting non-zero.
struct CLIError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
