import CofferCore

/// `${env:NAME}` in the string values of a definition, replaced by the environment variable `NAME`, so definitions can
/// live in git without their values; `$${env:NAME}` stands for the literal text `${env:NAME}`. Names are letters,
/// digits and `_`, not starting with a digit. Problems name the JSON path and the variable, never a value.
enum EnvironmentPlaceholders {
    /// One string that cannot be completed: where it is and what is wrong.
    struct Problem: Sendable, Equatable {
        var path: JSONPath
        var message: String
    }

    /// `value` with every placeholder in its strings (not in member names) replaced; each one that cannot be replaced
    /// adds a problem, and its string is left as it was.
    static func replacing(in value: JSONValue, at path: JSONPath = .root, environment: [String: String], problems: inout [Problem]) -> JSONValue {
        switch value {
        case .string(let text):
            switch replacing(in: text, environment: environment) {
            case .success(let replaced):
                return .string(replaced)
            case .failure(let failure):
                problems += failure.messages.map { Problem(path: path, message: $0) }
                return value
            }
        case .array(let items):
            return .array(items.enumerated().map { replacing(in: $1, at: path.appending(index: $0), environment: environment, problems: &problems) })
        case .object(let members):
            return .object(members.map { ($0, replacing(in: $1, at: path.appending($0), environment: environment, problems: &problems)) })
        case .null, .bool, .number:
            return value
        }
    }

    /// What keeps a string from being completed: one message per placeholder.
    struct Failure: Error, Equatable {
        var messages: [String]
    }

    /// `text` with its placeholders replaced, or every problem with them.
    static func replacing(in text: String, environment: [String: String]) -> Result<String, Failure> {
        let opening = Array("${env:".unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var messages: [String] = []
        var index = 0
        func opens(at position: Int) -> Bool {
            position + opening.count <= scalars.count && Array(scalars[position..<position + opening.count]) == opening
        }
        while index < scalars.count {
            if scalars[index] == "$", opens(at: index + 1) {
                // The escape: `$$` before `{env:` is one literal `$`, and what follows is plain text.
                result.append("$")
                index += 2
            } else if opens(at: index) {
                let start = index + opening.count
                guard let end = scalars[start...].firstIndex(of: "}") else {
                    messages.append("'${env:' without a closing '}' (write '$${env:' for the text itself)")
                    break
                }
                let name = String(String.UnicodeScalarView(scalars[start..<end]))
                if !isVariableName(name) {
                    messages.append("a '${env:...}' placeholder needs a variable name of letters, digits and '_'")
                } else if let value = environment[name] {
                    result.append(contentsOf: value.unicodeScalars)
                } else {
                    messages.append("environment variable \(name) is not set")
                }
                index = end + 1
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return messages.isEmpty ? .success(String(result)) : .failure(Failure(messages: messages))
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, as POSIX shells name variables.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" }
    }
}
