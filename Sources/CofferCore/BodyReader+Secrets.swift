import Foundation

extension BodyReader {
    static let secretsMembers: Set<String> = ["variables", "files", "dockerSecretMounts"]
    static let fileMembers: Set<String> = ["data", "encoding"]

    /// Reads the present sub-maps of `secrets` into `fields`.
    mutating func secrets(_ value: JSONValue, at path: JSONPath, into fields: inout SecretGroupFields) {
        guard let members = object(value, at: path, known: Self.secretsMembers) else { return }
        if let value = members["variables"] { fields.variables = variables(value, at: path.appending("variables")) }
        if let value = members["files"] {
            fields.files = fileMap(value, at: path.appending("files")) { reader, name, path in reader.filePath(name, at: path) }
        }
        if let value = members["dockerSecretMounts"] {
            fields.dockerSecretMounts = fileMap(value, at: path.appending("dockerSecretMounts")) { reader, name, path in
                reader.key(name, at: path, maximumLength: 100, pattern: .dockerSecretMountName)
            }
        }
    }

    mutating func variables(_ value: JSONValue, at path: JSONPath) -> [String: String]? {
        guard case .object(let members) = value else {
            errors.add("must be an object", at: path)
            return nil
        }
        var valid = true
        if members.count > limits.maximumVariables {
            errors.add("must have at most \(limits.maximumVariables) variables", at: path)
            valid = false
        }
        var variables: [String: String] = [:]
        variables.reserveCapacity(members.count)
        for (name, member) in members {
            let memberPath = path.appending(name)
            let nameValid = key(name, at: memberPath, maximumLength: 256, pattern: .variableName)
            let text: String?
            switch member {
            case .string(let string): text = string
            case .number(let literal): text = literal
            case .bool(let flag): text = flag ? "true" : "false"
            default:
                errors.add("must be a string, number or boolean", at: memberPath)
                text = nil
            }
            if let text, text.utf8.count > limits.maximumVariableValueBytes {
                errors.add("must be at most \(limits.maximumVariableValueBytes) bytes", at: memberPath)
                valid = false
            }
            if let text, nameValid { variables[name] = text } else { valid = false }
        }
        return valid ? variables : nil
    }

    /// Checks a map key (a variable or mount name); the message goes to the member's own path.
    mutating func key(_ name: String, at path: JSONPath, maximumLength: Int, pattern: Pattern) -> Bool {
        var valid = true
        if !pattern.matches(name) {
            errors.add("name must match \(pattern.source)", at: path)
            valid = false
        }
        if name.unicodeScalars.count > maximumLength {
            errors.add("name must be at most \(maximumLength) characters long", at: path)
            valid = false
        }
        return valid
    }

    /// A file's path: absolute, naming a file, without `..` segments or NUL, at most 1024 characters.
    mutating func filePath(_ name: String, at path: JSONPath) -> Bool {
        var problems: [String] = []
        if !name.hasPrefix("/") { problems.append("path must be absolute (start with /)") }
        if name.hasSuffix("/") { problems.append("path must name a file, not end with /") }
        if Self.hasParentSegment(name) { problems.append("path must not contain a .. segment") }
        if name.unicodeScalars.contains("\0") { problems.append("path must not contain NUL") }
        if name.unicodeScalars.count > 1024 { problems.append("path must be at most 1024 characters long") }
        for problem in problems { errors.add(problem, at: path) }
        return problems.isEmpty
    }

    /// Whether one of the `/`-separated segments of `path` is `..`.
    static func hasParentSegment(_ path: String) -> Bool {
        // Dots in the current segment so far; -1 once it has anything else.
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if dots == 2 { return true }
                dots = 0
            } else if byte == UInt8(ascii: "."), dots >= 0 {
                dots += 1
            } else {
                dots = -1
            }
        }
        return dots == 2
    }

    /// A map of `{data, encoding}` objects whose keys are checked by `checkName`.
    mutating func fileMap(
        _ value: JSONValue,
        at path: JSONPath,
        checkName: (inout BodyReader, String, JSONPath) -> Bool
    ) -> [String: SecretFile]? {
        guard case .object(let members) = value else {
            errors.add("must be an object", at: path)
            return nil
        }
        var files: [String: SecretFile] = [:]
        var valid = true
        for (name, member) in members {
            let memberPath = path.appending(name)
            let nameValid = checkName(&self, name, memberPath)
            if let file = file(member, at: memberPath), nameValid { files[name] = file } else { valid = false }
        }
        return valid ? files : nil
    }

    mutating func file(_ value: JSONValue, at path: JSONPath) -> SecretFile? {
        guard let members = object(value, at: path, known: Self.fileMembers) else { return nil }
        var encoding: FileEncoding? = .utf8
        if let value = members["encoding"] { encoding = oneOf(value, at: path.appending("encoding"), as: FileEncoding.self) }
        let data: Data? = required(members["data"], at: path.appending("data")) { reader, value, path in
            guard case .string(let text) = value else {
                reader.errors.add("must be a string", at: path)
                return nil
            }
            guard let data = Data(base64Encoded: text) else {
                reader.errors.add("must be valid base64", at: path)
                return nil
            }
            guard data.count <= reader.limits.maximumFileBytes else {
                reader.errors.add("must decode to at most \(reader.limits.maximumFileBytes) bytes", at: path)
                return nil
            }
            return data
        }
        guard let data, let encoding else { return nil }
        return SecretFile(data: data, encoding: encoding)
    }
}
