import CofferCore
import Foundation
import Yams

/// One group definition read for `coffer apply`: where it is, the id its name derives, and its body (a PUT body) with
/// its `${env:NAME}` placeholders replaced.
struct GroupDefinitionSource: Sendable, Equatable {
    /// The file, as named on the command line or found below a directory named there.
    var file: String
    /// Where in the file: the root for a file of one definition, `[i]` for an item of a list.
    var path: JSONPath
    var id: String
    var body: JSONValue

    /// `file`, or `file[i]` for an item of a list.
    var location: String { path == .root ? file : file + path.description }
}

/// Reads `coffer apply`'s definitions: files of JSON or YAML, each one definition (an object) or a list of them, and
/// directories of such files. Every problem of every file is found before anything is sent, and none quotes a value.
enum GroupDefinitionFiles {
    /// The endings of the files a directory contributes.
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// Every definition `arguments` name, in order: the files in the order given, a directory's files sorted by path,
    /// a list's items in its order. Two definitions of one id, an unreadable file or a placeholder that cannot be
    /// replaced throw one `CLIError` listing every such problem.
    static func load(_ arguments: [String], environment: [String: String]) throws -> [GroupDefinitionSource] {
        var problems: [String] = []
        var sources: [GroupDefinitionSource] = []
        for file in try files(arguments) {
            guard let text = read(file) else {
                problems.append("\(file): cannot be read")
                continue
            }
            let name = file == "-" ? "standard input" : file
            sources += definitions(inText: text, file: name, environment: environment, problems: &problems)
        }
        var seen: [String: GroupDefinitionSource] = [:]
        for source in sources {
            if let first = seen[source.id] {
                problems.append("\(first.location) and \(source.location) both define the secret group '\(source.id)'")
            } else {
                seen[source.id] = source
            }
        }
        if sources.isEmpty && problems.isEmpty { problems.append("no group definitions in \(arguments.joined(separator: ", "))") }
        guard problems.isEmpty else { throw CLIError(problems.joined(separator: "\ncoffer: error: ")) }
        return sources
    }

    /// The files `arguments` name, each once: a file (or `-`, standard input) as given; for a directory, every
    /// `*.yaml`, `*.yml` and `*.json` file in it and its subdirectories, sorted by path, hidden ones (`.name`) skipped.
    static func files(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard argument == "-" || FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CLIError("Cannot read '\(argument)': no such file or directory")
            }
            guard isDirectory.boolValue else {
                files.append(argument)
                continue
            }
            guard let below = FileManager.default.subpaths(atPath: argument) else { throw CLIError("Cannot read the directory '\(argument)'") }
            let base = argument.hasSuffix("/") ? argument : argument + "/"
            files += below.filter { path in
                let components = path.split(separator: "/")
                guard !components.contains(where: { $0.hasPrefix(".") }) else { return false }
                guard extensions.contains((path as NSString).pathExtension.lowercased()) else { return false }
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: base + path, isDirectory: &isFolder) && !isFolder.boolValue
            }
            .sorted()
            .map { base + $0 }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The definitions in one file's text; what is wrong with them goes to `problems`, each naming `file`.
    static func definitions(
        inText text: String, file: String, environment: [String: String], problems: inout [String]
    ) -> [GroupDefinitionSource] {
        let document: JSONValue
        do {
            document = try parse(text, json: file.lowercased().hasSuffix(".json"))
        } catch {
            problems.append("\(file): \(error)")
            return []
        }
        let items: [(JSONPath, JSONValue)]
        switch document {
        case .object: items = [(.root, document)]
        case .array(let list): items = list.enumerated().map { (JSONPath.root.appending(index: $0), $1) }
        default:
            problems.append("\(file): must hold a secret group definition (an object) or a list of them")
            return []
        }
        var sources: [GroupDefinitionSource] = []
        for (path, item) in items {
            guard case .object = item else {
                problems.append("\(file): \(path): must be a secret group definition (an object)")
                continue
            }
            var missing: [EnvironmentPlaceholders.Problem] = []
            let body = EnvironmentPlaceholders.replacing(in: item, at: path, environment: environment, problems: &missing)
            problems += missing.map { "\(file): \($0.path): \($0.message)" }
            guard missing.isEmpty else { continue }
            guard case .string(let name)? = body[member: "name"] else {
                problems.append("\(file): \(path.appending("name")): is required, a string (the group's id derives from it)")
                continue
            }
            sources.append(GroupDefinitionSource(file: file, path: path, id: Identifier.derived(fromName: name), body: body))
        }
        return sources
    }

    /// A JSON file as JSON; other text as JSON if it is, else as YAML. Errors say where, never what is there.
    static func parse(_ text: String, json: Bool) throws -> JSONValue {
        if json { return try JSONParser().parse(Array(text.utf8)) }
        if let value = try? JSONParser().parse(Array(text.utf8)) { return value }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw CLIError("is neither JSON nor YAML: \(InputOptions.yamlProblem(error))")
        }
        guard let node else { throw CLIError("holds no definition") }
        return try JSONValue(yaml: node)
    }

    static func read(_ file: String) -> String? {
        if file == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        return FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
    }
}
