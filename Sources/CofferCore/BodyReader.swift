/// Reads typed fields out of a parsed body while collecting every broken rule, so one response can list them all.
/// Each read returns `nil` when the value is unusable and records why at its path.
struct BodyReader {
    var errors = ValidationError()
    let limits: ValidationLimits

    init(limits: ValidationLimits) {
        self.limits = limits
    }

    /// The members of an object, after reporting each member not in `known` (members in `ignored` are skipped silently).
    /// Only known members can be looked up in the answer.
    mutating func object(
        _ value: JSONValue,
        at path: JSONPath,
        known: Set<String>,
        ignored: Set<String> = []
    ) -> Members? {
        guard case .object(let members) = value else {
            errors.add("must be an object", at: path)
            return nil
        }
        var allKnown = true
        for (name, _) in members where !known.contains(name) {
            allKnown = false
            if !ignored.contains(name) { errors.add("is not a known field", at: path.appending(name)) }
        }
        return Members(pairs: allKnown ? members : members.filter { known.contains($0.0) })
    }

    /// An object's members, found by name. A body's objects are small and their names unique (the parser refuses
    /// duplicates), so a search in order costs less than building a dictionary of them.
    struct Members {
        let pairs: [(String, JSONValue)]

        subscript(name: String) -> JSONValue? {
            pairs.first { $0.0 == name }?.1
        }
    }

    /// A string, checked for length (in Unicode scalars) and pattern; every failing rule is reported.
    mutating func string(_ value: JSONValue, at path: JSONPath, length: ClosedRange<Int>? = nil, pattern: Pattern? = nil) -> String? {
        guard case .string(let text) = value else {
            errors.add("must be a string", at: path)
            return nil
        }
        var valid = true
        if let length {
            let count = text.unicodeScalars.count
            if count < length.lowerBound {
                errors.add("must be at least \(length.lowerBound) characters long", at: path)
                valid = false
            }
            if count > length.upperBound {
                errors.add("must be at most \(length.upperBound) characters long", at: path)
                valid = false
            }
        }
        if let pattern, !pattern.matches(text) {
            errors.add("must match \(pattern.source)", at: path)
            valid = false
        }
        return valid ? text : nil
    }

    /// An integer written without fraction or exponent, within `range`.
    mutating func integer(_ value: JSONValue, at path: JSONPath, range: ClosedRange<Int>) -> Int? {
        guard case .number(let literal) = value else {
            errors.add("must be an integer", at: path)
            return nil
        }
        guard !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
            errors.add("must be an integer", at: path)
            return nil
        }
        guard let number = Int(literal), range.contains(number) else {
            errors.add("must be between \(range.lowerBound) and \(range.upperBound)", at: path)
            return nil
        }
        return number
    }

    mutating func boolean(_ value: JSONValue, at path: JSONPath) -> Bool? {
        guard case .bool(let flag) = value else {
            errors.add("must be a boolean", at: path)
            return nil
        }
        return flag
    }

    /// One of an enumeration's raw values.
    mutating func oneOf<Choice: RawRepresentable & CaseIterable>(_ value: JSONValue, at path: JSONPath, as: Choice.Type) -> Choice?
    where Choice.RawValue == String {
        guard case .string(let text) = value, let choice = Choice(rawValue: text) else {
            errors.add("must be one of: \(Choice.allCases.map(\.rawValue).joined(separator: ", "))", at: path)
            return nil
        }
        return choice
    }

    /// An array whose elements are each read by `element`; `nil` if it is not an array or any element is unusable.
    mutating func array<Element>(
        _ value: JSONValue,
        at path: JSONPath,
        element: (inout BodyReader, JSONValue, JSONPath) -> Element?
    ) -> [Element]? {
        guard case .array(let values) = value else {
            errors.add("must be an array", at: path)
            return nil
        }
        var elements: [Element] = []
        var valid = true
        for (index, item) in values.enumerated() {
            if let parsed = element(&self, item, path.appending(index: index)) {
                elements.append(parsed)
            } else {
                valid = false
            }
        }
        return valid ? elements : nil
    }

    /// Reports a missing required member.
    mutating func required<Value>(_ value: JSONValue?, at path: JSONPath, read: (inout BodyReader, JSONValue, JSONPath) -> Value?) -> Value? {
        guard let value else {
            errors.add("is required", at: path)
            return nil
        }
        return read(&self, value, path)
    }
}
