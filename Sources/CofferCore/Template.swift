/// `${NAME}` templates in values: `NAME` is a key of the same map (`[a-zA-Z0-9_./-]+`), `$${` is a literal `${`.
/// Substitution is recursive. A reference to an unknown name, or to a name on a reference cycle, is left as written
/// and reported; which names are on cycles is decided before anything is substituted, so the result never depends
/// on the order keys are visited in.
public enum Template {
    /// One piece of a parsed value.
    enum Part: Equatable {
        case text(String)
        case reference(String)
    }

    /// Splits `text` into literal text and references. `$${` becomes a literal `${`; a `${` without a valid name
    /// and closing `}` stays literal.
    static func parse(_ text: String) -> [Part] {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return [.text(text)] }
        // Scalars, not Characters: a `$` or `}` may share a grapheme cluster with a neighbouring combining mark.
        let scalars = Array(text.unicodeScalars)
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        var index = 0
        func starts(with prefix: String, at position: Int) -> Bool {
            let prefixScalars = Array(prefix.unicodeScalars)
            return position + prefixScalars.count <= scalars.count && Array(scalars[position..<position + prefixScalars.count]) == prefixScalars
        }
        while index < scalars.count {
            if starts(with: "$${", at: index) {
                literal.append(contentsOf: "${".unicodeScalars)
                index += 3
            } else if starts(with: "${", at: index), let close = scalars[(index + 2)...].firstIndex(of: "}") {
                var name = String.UnicodeScalarView()
                name.append(contentsOf: scalars[(index + 2)..<close])
                if Pattern.variableName.matches(String(name)) {
                    if !literal.isEmpty { parts.append(.text(String(literal))) }
                    literal = String.UnicodeScalarView()
                    parts.append(.reference(String(name)))
                    index = close + 1
                } else {
                    literal.append(contentsOf: "${".unicodeScalars)
                    index += 2
                }
            } else {
                literal.append(scalars[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(String(literal))) }
        return parts
    }

    /// Every value of `values` with its references substituted, and a warning per reference left as written.
    public static func substitute(_ values: [String: String]) -> (values: [String: String], warnings: [String], cyclic: Set<String>) {
        let parsed = values.mapValues(parse)
        let cyclic = cyclicNames(parsed)
        var resolved: [String: String] = [:]
        var warnings: [String] = []
        // Tarjan emits each name after every name it refers to, so references are already resolved when used.
        for name in resolutionOrder(parsed) {
            resolved[name] = render(parsed[name]!, in: name, resolved: resolved, cyclic: cyclic, warnings: &warnings)
        }
        return (resolved, warnings.sorted(), cyclic)
    }

    /// `text` with references to `variables` (already substituted) replaced; `context` names the text in warnings.
    public static func render(_ text: String, context: String, variables: [String: String], cyclic: Set<String> = []) -> (String, [String]) {
        var warnings: [String] = []
        let output = render(parse(text), in: context, resolved: variables, cyclic: cyclic, warnings: &warnings)
        return (output, warnings)
    }

    static func render(_ parts: [Part], in context: String, resolved: [String: String], cyclic: Set<String>, warnings: inout [String]) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .text(let text):
                output += text
            case .reference(let name) where cyclic.contains(name):
                output += "${\(name)}"
                warnings.append("\(context): ${\(name)} is part of a reference cycle; left as written")
            case .reference(let name):
                if let value = resolved[name] {
                    output += value
                } else {
                    output += "${\(name)}"
                    warnings.append("\(context): ${\(name)} refers to no known key; left as written")
                }
            }
        }
        return output
    }

    /// Names on a reference cycle (in a strongly connected component of more than one name, or referring to itself).
    static func cyclicNames(_ parsed: [String: [Part]]) -> Set<String> {
        var cyclic = Set<String>()
        for component in stronglyConnectedComponents(parsed) {
            if component.count > 1 {
                cyclic.formUnion(component)
            } else if let name = component.first, references(of: parsed[name]!).contains(name) {
                cyclic.insert(name)
            }
        }
        return cyclic
    }

    static func resolutionOrder(_ parsed: [String: [Part]]) -> [String] {
        stronglyConnectedComponents(parsed).flatMap { $0 }
    }

    static func references(of parts: [Part]) -> [String] {
        parts.compactMap { if case .reference(let name) = $0 { name } else { nil } }
    }

    /// Tarjan's algorithm, iterative (no recursion depth limit), over names sorted for a deterministic order.
    /// Components come out in reverse topological order: a component after every component it refers to.
    static func stronglyConnectedComponents(_ parsed: [String: [Part]]) -> [[String]] {
        let names = parsed.keys.sorted()
        let indexOf = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let edges = names.map { name in references(of: parsed[name]!).compactMap { indexOf[$0] } }
        var index = Array(repeating: -1, count: names.count)
        var lowLink = Array(repeating: 0, count: names.count)
        var onStack = Array(repeating: false, count: names.count)
        var stack: [Int] = []
        var components: [[String]] = []
        var counter = 0
        for root in names.indices where index[root] == -1 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let (node, edge) = work.last {
                if edge < edges[node].count {
                    work[work.count - 1].edge += 1
                    let next = edges[node][edge]
                    if index[next] == -1 {
                        index[next] = counter
                        lowLink[next] = counter
                        counter += 1
                        stack.append(next)
                        onStack[next] = true
                        work.append((next, 0))
                    } else if onStack[next] {
                        lowLink[node] = min(lowLink[node], index[next])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { lowLink[parent] = min(lowLink[parent], lowLink[node]) }
                if lowLink[node] == index[node] {
                    var component: [String] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(names[member])
                        if member == node { break }
                    }
                    components.append(component.sorted())
                }
            }
        }
        return components
    }
}
