import Testing

@testable import CofferCore

/// API.md section 2, one rule at a time, on both sides of each edge: the scalar members of a group.
@Suite("Validation table: scalar members")
struct ValidationTableTests {
    static let nameCases: [ValidationCase] = [
        .invalid("name of 2 characters", #""name": "ab""#, at: "name", Message.atLeast3),
        .valid("name of 3 characters", #""name": "abc""#),
        .valid("name of 100 characters", #""name": "\#(repeated("a", 100))""#),
        .invalid("name of 101 characters", #""name": "\#(repeated("a", 101))""#, at: "name", Message.atMost100),
        .invalid("empty name", #""name": """#, at: "name", Message.atLeast3, Message.namePattern),
        .invalid("name too long and off pattern", #""name": "\#(repeated("_", 101))""#, at: "name", Message.atMost100, Message.namePattern),
        .valid("name with a single hyphen", #""name": "a-b""#),
        .valid("name with a single space", #""name": "a b""#),
        .valid("name with a tab separator", #""name": "a\tb""#),
        .valid("name with a newline separator", #""name": "ab\ncd""#),
        .valid("name with a no-break space separator", #""name": "ab\u00A0cd""#),
        .valid("name with an ideographic space separator", #""name": "ab\u3000cd""#),
        .valid("name mixing separators", #""name": "Example Secret-2 x""#),
        .valid("name of digits", #""name": "123""#),
        .invalid("name with a double hyphen", #""name": "a--b""#, at: "name", Message.namePattern),
        .invalid("name with a double space", #""name": "a  b""#, at: "name", Message.namePattern),
        .invalid("name with hyphen then space", #""name": "a- b""#, at: "name", Message.namePattern),
        .invalid("name with a leading hyphen", #""name": "-ab""#, at: "name", Message.namePattern),
        .invalid("name with a trailing hyphen", #""name": "ab-""#, at: "name", Message.namePattern),
        .invalid("name with a leading space", #""name": " ab""#, at: "name", Message.namePattern),
        .invalid("name with a trailing space", #""name": "ab ""#, at: "name", Message.namePattern),
        .invalid("name with an underscore", #""name": "a_b""#, at: "name", Message.namePattern),
        .invalid("name with a dot", #""name": "a.b""#, at: "name", Message.namePattern),
        .invalid("name with a non-ASCII letter", #""name": "caf\u00e9""#, at: "name", Message.namePattern),
        .invalid("name of Cyrillic letters", #""name": "\u0438\u043c\u044f""#, at: "name", Message.namePattern),
        .invalid("name with a zero-width space", #""name": "ab\u200Bcd""#, at: "name", Message.namePattern),
        .invalid("name with a next-line control", #""name": "ab\u0085cd""#, at: "name", Message.namePattern),
        .invalid("name as a number", #""name": 123"#, at: "name", Message.string),
        .invalid("name as null", #""name": null"#, at: "name", Message.string),
        .invalid("name as an array", #""name": ["abc"]"#, at: "name", Message.string),
        .invalid("name missing", #""name": "<absent>""#, at: "name", Message.required),
    ]

    @Test("name", arguments: nameCases)
    func name(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("name length counts Unicode scalars, not bytes or UTF-16 units")
    func nameLengthCountsScalars() throws {
        // "a" and one astral character: 2 scalars (3 UTF-16 units, 5 UTF-8 bytes), so too short and off pattern.
        let error = try #require(validationError(try body(#""name": "a\uD83D\uDE00""#)))
        #expect(error.messages(at: "name") == [Message.atLeast3, Message.namePattern])
    }

    static let descriptionCases: [ValidationCase] = [
        .valid("description of 1 character", #""description": "a""#),
        .valid("description of 200 characters", #""description": "\#(repeated("a", 200))""#),
        .invalid("description of 201 characters", #""description": "\#(repeated("a", 201))""#, at: "description", Message.atMost200),
        .invalid("empty description", #""description": """#, at: "description", Message.descriptionPattern),
        .valid("description with every allowed punctuation mark", #""description": ".,?\\/'\"()[];`%^&*-_:!""#),
        .valid("description with whitespace", #""description": "line one,\n\tline two.""#),
        .valid("description of only spaces", #""description": "   ""#),
        .valid("description as null", #""description": null"#),
        .invalid("description with an at sign", #""description": "a@b""#, at: "description", Message.descriptionPattern),
        .invalid("description with a hash", #""description": "a#b""#, at: "description", Message.descriptionPattern),
        .invalid("description with a dollar", #""description": "a$b""#, at: "description", Message.descriptionPattern),
        .invalid("description with braces", #""description": "{a}""#, at: "description", Message.descriptionPattern),
        .invalid("description with angle brackets", #""description": "<a>""#, at: "description", Message.descriptionPattern),
        .invalid("description with plus and equals", #""description": "a+b=c""#, at: "description", Message.descriptionPattern),
        .invalid("description with a pipe", #""description": "a|b""#, at: "description", Message.descriptionPattern),
        .invalid("description with a tilde", #""description": "a~b""#, at: "description", Message.descriptionPattern),
        .invalid("description with a non-ASCII letter", #""description": "r\u00e9sum\u00e9""#, at: "description", Message.descriptionPattern),
        .invalid("description as a number", #""description": 1"#, at: "description", Message.string),
        .invalid("description as a boolean", #""description": true"#, at: "description", Message.string),
    ]

    @Test("description", arguments: descriptionCases)
    func description(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static let slugCases: [ValidationCase] = [
        .invalid("stageId of 2 characters", #""stageId": "ab""#, at: "stageId", Message.atLeast3),
        .valid("stageId of 3 characters", #""stageId": "abc""#),
        .valid("stageId of 100 characters", #""stageId": "\#(repeated("b", 100))""#),
        .invalid("stageId of 101 characters", #""stageId": "\#(repeated("b", 101))""#, at: "stageId", Message.atMost100),
        .valid("stageId with hyphens", #""stageId": "stage-2-eu""#),
        .valid("stageId as null", #""stageId": null"#),
        .invalid("stageId with a double hyphen", #""stageId": "a--b""#, at: "stageId", Message.slugPattern),
        .invalid("stageId with a leading hyphen", #""stageId": "-abc""#, at: "stageId", Message.slugPattern),
        .invalid("stageId with a trailing hyphen", #""stageId": "abc-""#, at: "stageId", Message.slugPattern),
        .invalid("stageId with a space", #""stageId": "a bc""#, at: "stageId", Message.slugPattern),
        .invalid("stageId with an underscore", #""stageId": "a_bc""#, at: "stageId", Message.slugPattern),
        .invalid("stageId as a number", #""stageId": 100"#, at: "stageId", Message.string),
        .valid("no tags", #""tags": []"#),
        .valid("tags at 3 and 100 characters", #""tags": ["abc", "\#(repeated("t", 100))"]"#),
        .invalid("tag of 2 characters", #""tags": ["abc", "ab"]"#, at: "tags[1]", Message.atLeast3),
        .invalid("tag of 101 characters", #""tags": ["\#(repeated("t", 101))"]"#, at: "tags[0]", Message.atMost100),
        .invalid("tag with a space", #""tags": ["a bc"]"#, at: "tags[0]", Message.slugPattern),
        .invalid("tag with a double hyphen", #""tags": ["ab--c"]"#, at: "tags[0]", Message.slugPattern),
        .invalid(
            "several bad tags",
            #""tags": ["ok-tag", "x", "-no", 3]"#,
            issues: ["tags[1]": [Message.atLeast3], "tags[2]": [Message.slugPattern], "tags[3]": [Message.string]]
        ),
        .invalid("tags as a string", #""tags": "abc""#, at: "tags", Message.array),
        .invalid("tags as null", #""tags": null"#, at: "tags", Message.array),
        .invalid("tags as an object", #""tags": {}"#, at: "tags", Message.array),
    ]

    @Test("stageId and tags", arguments: slugCases)
    func slugs(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static let enumCases: [ValidationCase] = [
        .valid("type secret", #""type": "secret""#),
        .valid("type config", #""type": "config""#),
        .invalid("type in capitals", #""type": "Secret""#, at: "type", Message.groupType),
        .invalid("unknown type", #""type": "password""#, at: "type", Message.groupType),
        .invalid("type as a number", #""type": 1"#, at: "type", Message.groupType),
        .invalid("type as null", #""type": null"#, at: "type", Message.groupType),
        .valid("secretType environment", #""secretType": "environment""#),
        .valid("secretType arguments", #""secretType": "arguments""#),
        .valid("secretType environment-arguments", #""secretType": "environment-arguments""#),
        .invalid("unknown secretType", #""secretType": "env""#, at: "secretType", Message.secretType),
        .invalid("secretType with an underscore", #""secretType": "environment_arguments""#, at: "secretType", Message.secretType),
        .invalid("secretType as an array", #""secretType": ["environment"]"#, at: "secretType", Message.secretType),
        .invalid("secretType missing", #""secretType": "<absent>""#, at: "secretType", Message.required),
    ]

    @Test("type and secretType", arguments: enumCases)
    func enums(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static let priorityCases: [ValidationCase] = [
        .invalid("priority -1", #""priority": -1"#, at: "priority", Message.priorityRange),
        .valid("priority 0", #""priority": 0"#),
        .valid("priority 100", #""priority": 100"#),
        .invalid("priority 101", #""priority": 101"#, at: "priority", Message.priorityRange),
        .invalid("priority beyond 64 bits", #""priority": 100000000000000000000"#, at: "priority", Message.priorityRange),
        .invalid("priority with a fraction", #""priority": 1.5"#, at: "priority", Message.integer),
        .invalid("priority with a zero fraction", #""priority": 1.0"#, at: "priority", Message.integer),
        .invalid("priority with an exponent", #""priority": 1e2"#, at: "priority", Message.integer),
        .invalid("priority with a capital exponent", #""priority": 1E1"#, at: "priority", Message.integer),
        .invalid("priority as a string", #""priority": "10""#, at: "priority", Message.integer),
        .invalid("priority as a boolean", #""priority": true"#, at: "priority", Message.integer),
        .invalid("priority as null", #""priority": null"#, at: "priority", Message.integer),
        .invalid("priority missing", #""priority": "<absent>""#, at: "priority", Message.required),
    ]

    @Test("priority", arguments: priorityCases)
    func priority(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("accepted scalar members are stored as given, absent ones take their defaults")
    func storedValues() throws {
        let text =
            #""name": "My Group", "description": "Notes.", "type": "config", "secretType": "arguments", "#
            + #""priority": 0, "stageId": "prod-eu", "tags": ["abc", "d-e-f"]"#
        let definition = try SecretGroupDefinition(validating: try body(text))
        #expect(definition.name == "My Group")
        #expect(definition.id == "my-group")
        #expect(definition.description == "Notes.")
        #expect(definition.type == .config)
        #expect(definition.secretType == .arguments)
        #expect(definition.priority == 0)
        #expect(definition.stageId == "prod-eu")
        #expect(definition.tags == ["abc", "d-e-f"])

        let minimal = try SecretGroupDefinition(validating: try body(#""description": null, "stageId": null"#))
        #expect(minimal.description == nil)
        #expect(minimal.stageId == nil)
        #expect(minimal.type == .secret)
        #expect(minimal.tags.isEmpty)
        #expect(minimal.priority == 10)
    }
}
