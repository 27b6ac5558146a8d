import ArgumentParser
import CofferClient
import CofferCore
import Foundation
import Yams

/// A request body from `-i/--input` (a JSON or YAML string, which wins) or `-f/--file` (JSON or YAML, `-` for stdin).
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: "Read the definition from a JSON or YAML file ('-' for standard input).")
    var file: String?

    @Option(name: [.customShort("i"), .long], help: "The definition as a JSON or YAML string (wins over --file).")
    var input: String?

    /// The definition's text, as given.
    func text() throws -> String {
        if let input { return input }
        guard let file else { throw CLIError("Give the definition with -f FILE (or -f - for standard input) or -i TEXT") }
        if file == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("Cannot read '\(file)'") }
        return String(decoding: data, as: UTF8.self)
    }

    func body() throws -> JSONBody {
        try Self.jsonBody(from: try text())
    }

    /// JSON is sent as written (so the server reports its problems by path); anything else is read as YAML.
    static func jsonBody(from text: String) throws -> JSONBody {
        if (try? JSONParser().parse(Array(text.utf8))) != nil { return JSONBody(text) }
        let value: Any?
        do {
            value = try Yams.load(yaml: text)
        } catch {
            throw CLIError("The definition is neither JSON nor YAML: \(Self.yamlProblem(error))")
        }
        guard let value, value is [String: Any] else { throw CLIError("The definition must be a JSON or YAML object") }
        return JSONBody(json: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]))
    }

    /// Where the YAML is wrong, without quoting it (it may hold secrets).
    static func yamlProblem(_ error: any Error) -> String {
        if let error = error as? YamlError, case .scanner(_, let problem, let mark, _) = error { return "\(problem) at line \(mark.line)" }
        if let error = error as? YamlError, case .parser(_, let problem, let mark, _) = error { return "\(problem) at line \(mark.line)" }
        return "not well-formed"
    }
}
