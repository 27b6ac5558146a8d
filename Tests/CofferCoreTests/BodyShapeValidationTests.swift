import Testing

@testable import CofferCore

/// Whole-body rules: unknown and read-only members, JSON types, bodies that are not objects, and many errors at once.
@Suite("Validation table: body shape")
struct BodyShapeValidationTests {
    static let unknownFieldCases: [ValidationCase] = [
        .invalid("misspelt top-level member", #""nmae": "x""#, at: "nmae", Message.unknown),
        .invalid("top-level member in the wrong case", #""Priority": 1"#, at: "Priority", Message.unknown),
        .invalid("top-level member that needs quoting", #""a b": 1"#, at: #"["a b"]"#, Message.unknown),
        .invalid("two unknown top-level members", #""x": 1, "y": null"#, issues: ["x": [Message.unknown], "y": [Message.unknown]]),
        .invalid("unknown member in restrictions", #""restrictions": {"restrict": true}"#, at: "restrictions.restrict", Message.unknown),
        .invalid(
            "unknown member in an nfObjects item",
            #""restrictions": {"nfObjects": [{"id": "svc", "type": "job", "name": "x"}]}"#,
            at: "restrictions.nfObjects[0].name",
            Message.unknown
        ),
        .invalid(
            "unknown member in an addon dependency",
            #""addonDependencies": [{"addonId": "a", "keys": [], "version": 1}]"#,
            at: "addonDependencies[0].version",
            Message.unknown
        ),
        .invalid(
            "unknown member in an addon key",
            #""externalAddonDependencies": [{"addonId": "a", "keys": [{"keyName": "K", "alias": "x"}]}]"#,
            at: "externalAddonDependencies[0].keys[0].alias",
            Message.unknown
        ),
        .invalid("unknown member in secrets", #""secrets": {"env": {}}"#, at: "secrets.env", Message.unknown),
        .invalid(
            "unknown member in a file object",
            #""secrets": {"files": {"/dir/fileName": {"data": "", "mode": "0600"}}}"#,
            at: #"secrets.files["/dir/fileName"].mode"#,
            Message.unknown
        ),
        .invalid(
            "unknown member in a mount object",
            #""secrets": {"dockerSecretMounts": {"m": {"data": "", "target": "/x"}}}"#,
            at: "secrets.dockerSecretMounts.m.target",
            Message.unknown
        ),
        .invalid("read-only member inside restrictions", #""restrictions": {"id": "x"}"#, at: "restrictions.id", Message.unknown),
        .valid("read-only members", #""id": "other-id", "projectId": "p", "createdAt": "2020-01-01T00:00:00.000Z", "updatedAt": "x""#),
        .valid("read-only members of any JSON type", #""id": 1, "projectId": null, "createdAt": [], "updatedAt": {"a": 1}"#),
    ]

    @Test("unknown and read-only members", arguments: unknownFieldCases)
    func unknownFields(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("an echoed id does not replace the id derived from the name")
    func readOnlyIdIgnored() throws {
        let definition = try SecretGroupDefinition(validating: try body(#""name": "Example Secret", "id": "something-else""#))
        #expect(definition.id == "example-secret")
    }

    /// Each member, the message a wrong JSON type earns, and whether `null` is allowed.
    static let memberTypes: [(member: String, message: String, nullable: Bool)] = [
        ("name", Message.string, false),
        ("description", Message.string, true),
        ("type", Message.groupType, false),
        ("secretType", Message.secretType, false),
        ("priority", Message.integer, false),
        ("tags", Message.array, false),
        ("stageId", Message.string, true),
        ("restrictions", Message.object, false),
        ("addonDependencies", Message.array, false),
        ("externalAddonDependencies", Message.array, false),
        ("secrets", Message.object, false),
    ]

    static let literals: [(json: String, type: String)] = [
        ("\"text\"", "string"), ("7", "number"), ("true", "boolean"), ("null", "null"), ("[]", "array"), ("{}", "object"),
    ]

    static let expectedTypes: [String: String] = [
        "name": "string", "description": "string", "type": "string", "secretType": "string", "priority": "number", "tags": "array",
        "stageId": "string", "restrictions": "object", "addonDependencies": "array", "externalAddonDependencies": "array",
        "secrets": "object",
    ]

    /// Every member given every JSON type other than its own (strings that are merely off pattern are covered elsewhere).
    static let wrongTypeCases: [ValidationCase] = memberTypes.flatMap { member, message, nullable in
        literals.compactMap { json, type -> ValidationCase? in
            guard type != expectedTypes[member], !(nullable && type == "null") else { return nil }
            return .invalid("\(member) as \(type)", #""\#(member)": \#(json)"#, at: member, message)
        }
    }

    @Test("wrong JSON types", arguments: wrongTypeCases)
    func wrongTypes(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("the wrong-type table covers every writable member")
    func wrongTypeTableIsComplete() {
        #expect(Set(Self.memberTypes.map(\.member)) == SecretGroupFields.writableMembers)
        #expect(Self.wrongTypeCases.count >= 50)
    }

    @Test("a body that is not an object is refused at body, without required-member noise", arguments: ["[]", "\"x\"", "null", "1", "true"])
    func notAnObject(_ text: String) throws {
        let error = try #require(validationError(try parseJSON(text)))
        #expect(error.issueMap == ["body": [Message.object]])
        #expect(error.messages(at: "body") == [Message.object])
    }

    @Test("an empty object reports the three required members")
    func emptyObject() throws {
        let error = try #require(validationError(try parseJSON("{}")))
        #expect(error.issueMap == ["name": [Message.required], "secretType": [Message.required], "priority": [Message.required]])
    }

    @Test("every problem in a body is reported at its own path")
    func severalErrors() throws {
        let text = """
            {
              "name": "ab",
              "description": "",
              "priority": 1.5,
              "type": "secrets",
              "tags": ["ok-tag", "no tag"],
              "stageId": "-x-",
              "restrictions": {"restricted": "yes", "nfObjects": [{"id": "svc", "type": "cron", "extra": 1}], "tagMatchCondition": "xor"},
              "addonDependencies": [{"addonId": "a_b", "keys": [{"keyName": "123", "aliases": ["a b"]}]}],
              "externalAddonDependencies": [{"keys": []}],
              "secrets": {
                "variables": {"BAD NAME": "v", "NULL": null},
                "files": {"/dir/fileName": {"data": "***", "encoding": "utf8"}, "relative": {"data": ""}},
                "dockerSecretMounts": {"a/b": {}}
              },
              "unknown": true,
              "createdAt": 0
            }
            """
        let error = try #require(validationError(try parseJSON(text)))
        let expected: [String: [String]] = [
            "name": [Message.atLeast3],
            "description": [Message.descriptionPattern],
            "priority": [Message.integer],
            "type": [Message.groupType],
            "tags[1]": [Message.slugPattern],
            "stageId": [Message.slugPattern],
            "restrictions.restricted": [Message.boolean],
            "restrictions.nfObjects[0].extra": [Message.unknown],
            "restrictions.nfObjects[0].type": [Message.workloadKind],
            "restrictions.tagMatchCondition": [Message.tagMatch],
            "addonDependencies[0].addonId": [Message.objectIdPattern],
            "addonDependencies[0].keys[0].keyName": [Message.keyNamePattern],
            "addonDependencies[0].keys[0].aliases[0]": [Message.aliasPattern],
            "externalAddonDependencies[0].addonId": [Message.required],
            #"secrets.variables["BAD NAME"]"#: [Message.variableName],
            "secrets.variables.NULL": [Message.variableValue],
            #"secrets.files["/dir/fileName"].encoding"#: [Message.encoding],
            #"secrets.files["/dir/fileName"].data"#: [Message.base64],
            "secrets.files.relative": ["path must be absolute (start with /)"],
            #"secrets.dockerSecretMounts["a/b"]"#: [Message.mountName],
            #"secrets.dockerSecretMounts["a/b"].data"#: [Message.required],
            "unknown": [Message.unknown],
            "secretType": [Message.required],
        ]
        for (path, messages) in expected {
            #expect(error.messages(at: path) == messages, "at \(path)")
        }
        #expect(error.issueMap == expected)
        #expect(error.issues.count == expected.count)
        #expect(error.description == "The request body is invalid: \(expected.count) fields failed validation")
    }

    @Test("validation messages never quote the offending value")
    func messagesDoNotQuoteValues() throws {
        let marker = "Zq7SecretMarker"
        let text =
            #""name": "\#(marker)!", "description": "\#(marker)@", "stageId": "\#(marker)_", "#
            + #""secrets": {"variables": {"A": {"v": "\#(marker)"}}, "files": {"/f": {"data": "\#(marker)"}}}"#
        let error = try #require(validationError(try body(text)))
        #expect(error.issues.count == 5)
        for issue in error.issues {
            #expect(!issue.messages.contains { $0.contains(marker) })
        }
        #expect(!error.description.contains(marker))
    }
}
