import Testing

@testable import CofferCore

@Suite("JSONPath rendering")
struct JSONPathTests {
    @Test("the root is body")
    func root() {
        #expect(JSONPath.root.description == "body")
        #expect(JSONPath().description == "body")
    }

    @Test(
        "renders plain names dotted and other names quoted in brackets",
        arguments: [
            (JSONPath.root.appending("name"), "name"),
            (JSONPath.root.appending("restrictions").appending("nfObjects").appending(index: 0).appending("type"), "restrictions.nfObjects[0].type"),
            (JSONPath.root.appending("secrets").appending("variables").appending("NODE_ENV"), "secrets.variables.NODE_ENV"),
            (
                JSONPath.root.appending("secrets").appending("files").appending("/dir/fileName").appending("data"),
                #"secrets.files["/dir/fileName"].data"#
            ),
            (JSONPath.root.appending("_a1"), "_a1"),
            (JSONPath.root.appending("1a"), #"["1a"]"#),
            (JSONPath.root.appending(""), #"[""]"#),
            (JSONPath.root.appending("a-b"), #"["a-b"]"#),
            (JSONPath.root.appending("caf\u{E9}"), "[\"caf\u{E9}\"]"),
            (JSONPath.root.appending(#"q"b\s"#), #"["q\"b\\s"]"#),
            (JSONPath.root.appending("a\u{0}b\n\u{1F}"), #"["a\u0000b\u000a\u001f"]"#),
            (JSONPath.root.appending(index: 3).appending(index: 1), "[3][1]"),
            (JSONPath.root.appending("x").appending("y z").appending("w"), #"x["y z"].w"#),
        ]
    )
    func rendering(_ path: JSONPath, _ expected: String) {
        #expect(path.description == expected)
    }

    @Test("paths are equal when their components are, however they were built")
    func equality() {
        let base = JSONPath.root.appending("secrets")
        let appended = base.appending("files").appending(index: 0)
        let listed = JSONPath([.member("secrets"), .member("files"), .index(0)])
        #expect(appended == listed)
        #expect(appended.hashValue == listed.hashValue)
        #expect(appended.components == [.member("secrets"), .member("files"), .index(0)])
        // Extending a shared prefix leaves it and its other extensions as they were.
        let sibling = base.appending("variables")
        #expect(base.components == [.member("secrets")])
        #expect(sibling != appended)
        #expect(sibling.description == "secrets.variables")
        #expect(JSONPath.root.appending("a") != JSONPath.root.appending(index: 0))
        #expect(Set([appended, listed, sibling]).count == 2)
    }
}

@Suite("Pattern")
struct PatternTests {
    @Test("each pattern's source is the reference schema's pattern")
    func sources() {
        let expected: [Pattern: String] = [
            .groupName: #"^[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*$"#,
            .description: #"^[a-zA-Z0-9.,?\s\\/'"()[\];`%^&*\-_:!]+$"#,
            .slug: #"^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"#,
            .objectIdentifier: #"^[A-Za-z0-9-]+$"#,
            .keyName: #"[a-zA-Z]+"#,
            .alias: #"^[a-zA-Z0-9_./-]*$"#,
            .variableName: #"^[a-zA-Z0-9_./-]+$"#,
            .dockerSecretMountName: #"^[a-zA-Z0-9_.-]+$"#,
        ]
        for pattern in Pattern.allCases {
            #expect(pattern.source == expected[pattern])
        }
    }

    static let matches: [(Pattern, String, Bool)] = [
        (.groupName, "a", true), (.groupName, "a b-c\td", true), (.groupName, "", false), (.groupName, "a\u{2028}b", true),
        (.groupName, "a\u{FEFF}b", true), (.groupName, "a -b", false), (.groupName, "-", false),
        (.slug, "a-b", true), (.slug, "a b", false), (.slug, "a", true), (.slug, "", false), (.slug, "A-1-z", true),
        (.description, "", false), (.description, " ", true), (.description, "\u{3000}", true), (.description, "<", false),
        (.description, "#", false), (.description, "=", false), (.description, "{", false), (.description, "@", false),
        (.objectIdentifier, "", false), (.objectIdentifier, "---", true), (.objectIdentifier, "a.b", false),
        (.keyName, "", false), (.keyName, "9z9", true), (.keyName, "99", false), (.keyName, "\u{E9}", false),
        (.alias, "", true), (.alias, "a_b./-", true), (.alias, "a b", false), (.alias, "a:b", false),
        (.variableName, "", false), (.variableName, "a_b./-", true), (.variableName, "a$", false),
        (.dockerSecretMountName, "a_b.-", true), (.dockerSecretMountName, "a/b", false), (.dockerSecretMountName, "", false),
    ]

    @Test("matches with ECMA-262 semantics", arguments: matches)
    func matching(_ pattern: Pattern, _ text: String, _ expected: Bool) {
        #expect(pattern.matches(text) == expected)
    }
}
