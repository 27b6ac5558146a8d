import Testing

@testable import CofferCore

/// API.md section 2: `restrictions`, `addonDependencies` and `externalAddonDependencies`.
@Suite("Validation table: restrictions and addon dependencies")
struct RestrictionsValidationTests {
    static let restrictionCases: [ValidationCase] = [
        .valid("empty restrictions", #""restrictions": {}"#),
        .valid("restricted true", #""restrictions": {"restricted": true}"#),
        .valid("restricted false", #""restrictions": {"restricted": false}"#),
        .invalid("restricted as a string", #""restrictions": {"restricted": "true"}"#, at: "restrictions.restricted", Message.boolean),
        .invalid("restricted as a number", #""restrictions": {"restricted": 1}"#, at: "restrictions.restricted", Message.boolean),
        .invalid("restricted as null", #""restrictions": {"restricted": null}"#, at: "restrictions.restricted", Message.boolean),
        .invalid("restrictions as an array", #""restrictions": []"#, at: "restrictions", Message.object),
        .invalid("restrictions as null", #""restrictions": null"#, at: "restrictions", Message.object),
        .valid("service object", #""restrictions": {"nfObjects": [{"id": "example-service", "type": "service"}]}"#),
        .valid("job object", #""restrictions": {"nfObjects": [{"id": "Job-1", "type": "job"}]}"#),
        .valid("object id of hyphens only", #""restrictions": {"nfObjects": [{"id": "-", "type": "job"}]}"#),
        .invalid(
            "unknown object type",
            #""restrictions": {"nfObjects": [{"id": "svc", "type": "cron"}]}"#,
            at: "restrictions.nfObjects[0].type",
            Message.workloadKind
        ),
        .invalid(
            "object type in capitals",
            #""restrictions": {"nfObjects": [{"id": "a", "type": "a"}, {"id": "svc", "type": "Service"}]}"#,
            issues: ["restrictions.nfObjects[0].type": [Message.workloadKind], "restrictions.nfObjects[1].type": [Message.workloadKind]]
        ),
        .invalid(
            "object id with an underscore",
            #""restrictions": {"nfObjects": [{"id": "svc_1", "type": "service"}]}"#,
            at: "restrictions.nfObjects[0].id",
            Message.objectIdPattern
        ),
        .invalid(
            "object id with a space",
            #""restrictions": {"nfObjects": [{"id": "svc 1", "type": "service"}]}"#,
            at: "restrictions.nfObjects[0].id",
            Message.objectIdPattern
        ),
        .invalid(
            "empty object id",
            #""restrictions": {"nfObjects": [{"id": "", "type": "service"}]}"#,
            at: "restrictions.nfObjects[0].id",
            Message.objectIdPattern
        ),
        .invalid(
            "object id as a number",
            #""restrictions": {"nfObjects": [{"id": 7, "type": "service"}]}"#,
            at: "restrictions.nfObjects[0].id",
            Message.string
        ),
        .invalid(
            "object without id",
            #""restrictions": {"nfObjects": [{"type": "service"}]}"#,
            at: "restrictions.nfObjects[0].id",
            Message.required
        ),
        .invalid(
            "object without type",
            #""restrictions": {"nfObjects": [{"id": "svc"}]}"#,
            at: "restrictions.nfObjects[0].type",
            Message.required
        ),
        .invalid(
            "empty object",
            #""restrictions": {"nfObjects": [{}]}"#,
            issues: ["restrictions.nfObjects[0].id": [Message.required], "restrictions.nfObjects[0].type": [Message.required]]
        ),
        .invalid("object as a string", #""restrictions": {"nfObjects": ["svc"]}"#, at: "restrictions.nfObjects[0]", Message.object),
        .invalid("nfObjects as an object", #""restrictions": {"nfObjects": {}}"#, at: "restrictions.nfObjects", Message.array),
        .valid("restriction tags", #""restrictions": {"tags": ["abc", "a-b-c"]}"#),
        .invalid("restriction tag of 2 characters", #""restrictions": {"tags": ["ab"]}"#, at: "restrictions.tags[0]", Message.atLeast3),
        .invalid(
            "restriction tag of 101 characters",
            #""restrictions": {"tags": ["\#(repeated("x", 101))"]}"#,
            at: "restrictions.tags[0]",
            Message.atMost100
        ),
        .invalid("restriction tag off pattern", #""restrictions": {"tags": ["a_b_c"]}"#, at: "restrictions.tags[0]", Message.slugPattern),
        .valid("restriction stageIds", #""restrictions": {"stageIds": ["prod", "\#(repeated("s", 100))"]}"#),
        .invalid("restriction stageId of 2 characters", #""restrictions": {"stageIds": ["pr"]}"#, at: "restrictions.stageIds[0]", Message.atLeast3),
        .invalid(
            "restriction stageId off pattern",
            #""restrictions": {"stageIds": ["prod", "pr od"]}"#,
            at: "restrictions.stageIds[1]",
            Message.slugPattern
        ),
        .invalid("restriction stageIds as a string", #""restrictions": {"stageIds": "prod"}"#, at: "restrictions.stageIds", Message.array),
        .valid("tagMatchCondition and", #""restrictions": {"tagMatchCondition": "and"}"#),
        .valid("tagMatchCondition or", #""restrictions": {"tagMatchCondition": "or"}"#),
        .invalid(
            "tagMatchCondition in capitals",
            #""restrictions": {"tagMatchCondition": "AND"}"#,
            at: "restrictions.tagMatchCondition",
            Message.tagMatch
        ),
        .invalid("tagMatchCondition xor", #""restrictions": {"tagMatchCondition": "xor"}"#, at: "restrictions.tagMatchCondition", Message.tagMatch),
        .invalid(
            "tagMatchCondition as a boolean",
            #""restrictions": {"tagMatchCondition": true}"#,
            at: "restrictions.tagMatchCondition",
            Message.tagMatch
        ),
    ]

    @Test("restrictions", arguments: restrictionCases)
    func restrictions(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static func addon(_ key: String, list: String = "addonDependencies", addonId: String = #""addonId": "example-addon", "#) -> String {
        #""\#(list)": [{\#(addonId)"keys": [\#(key)]}]"#
    }

    static let addonCases: [ValidationCase] = [
        .valid("reference addon dependency", addon(#"{"keyName": "USERNAME", "aliases": ["MONGO_USERNAME"]}"#)),
        .valid("key without aliases", addon(#"{"keyName": "USERNAME"}"#)),
        .valid("dependency without keys", addon("")),
        .valid("no dependencies", #""addonDependencies": []"#),
        .valid("keyName starting with a digit", addon(#"{"keyName": "1A"}"#)),
        .valid("keyName with punctuation around a letter", addon(#"{"keyName": "_x-1.2"}"#)),
        .invalid("keyName of digits", addon(#"{"keyName": "123"}"#), at: "addonDependencies[0].keys[0].keyName", Message.keyNamePattern),
        .invalid("keyName underscore", addon(#"{"keyName": "_"}"#), at: "addonDependencies[0].keys[0].keyName", Message.keyNamePattern),
        .invalid("empty keyName", addon(#"{"keyName": ""}"#), at: "addonDependencies[0].keys[0].keyName", Message.keyNamePattern),
        .invalid(
            "keyName of a non-ASCII letter",
            addon(#"{"keyName": "\u00e9"}"#),
            at: "addonDependencies[0].keys[0].keyName",
            Message.keyNamePattern
        ),
        .invalid("keyName as a number", addon(#"{"keyName": 1}"#), at: "addonDependencies[0].keys[0].keyName", Message.string),
        .invalid("key without keyName", addon(#"{"aliases": []}"#), at: "addonDependencies[0].keys[0].keyName", Message.required),
        .valid("empty alias", addon(#"{"keyName": "A", "aliases": [""]}"#)),
        .valid("alias with path characters", addon(#"{"keyName": "A", "aliases": ["a_b.c/d-e", "9"]}"#)),
        .invalid(
            "alias with a space",
            addon(#"{"keyName": "A", "aliases": ["ok", "a b"]}"#),
            at: "addonDependencies[0].keys[0].aliases[1]",
            Message.aliasPattern
        ),
        .invalid(
            "alias with a colon",
            addon(#"{"keyName": "A", "aliases": ["a:b"]}"#),
            at: "addonDependencies[0].keys[0].aliases[0]",
            Message.aliasPattern
        ),
        .invalid("alias as null", addon(#"{"keyName": "A", "aliases": [null]}"#), at: "addonDependencies[0].keys[0].aliases[0]", Message.string),
        .invalid("aliases as a string", addon(#"{"keyName": "A", "aliases": "B"}"#), at: "addonDependencies[0].keys[0].aliases", Message.array),
        .invalid("key as a string", addon(#""A""#), at: "addonDependencies[0].keys[0]", Message.object),
        .invalid(
            "addonId with an underscore",
            addon("", addonId: #""addonId": "an_addon", "#),
            at: "addonDependencies[0].addonId",
            Message.objectIdPattern
        ),
        .invalid("empty addonId", addon("", addonId: #""addonId": "", "#), at: "addonDependencies[0].addonId", Message.objectIdPattern),
        .invalid("addonId as a number", addon("", addonId: #""addonId": 5, "#), at: "addonDependencies[0].addonId", Message.string),
        .invalid("dependency without addonId", addon("", addonId: ""), at: "addonDependencies[0].addonId", Message.required),
        .invalid("dependency without keys", #""addonDependencies": [{"addonId": "a"}]"#, at: "addonDependencies[0].keys", Message.required),
        .invalid("keys as an object", #""addonDependencies": [{"addonId": "a", "keys": {}}]"#, at: "addonDependencies[0].keys", Message.array),
        .invalid("dependency as a string", #""addonDependencies": ["a"]"#, at: "addonDependencies[0]", Message.object),
        .invalid("addonDependencies as an object", #""addonDependencies": {}"#, at: "addonDependencies", Message.array),
        .valid("reference external addon dependency", addon(#"{"keyName": "USERNAME", "aliases": [""]}"#, list: "externalAddonDependencies")),
        .invalid(
            "external keyName of digits",
            addon(#"{"keyName": "123"}"#, list: "externalAddonDependencies"),
            at: "externalAddonDependencies[0].keys[0].keyName",
            Message.keyNamePattern
        ),
        .invalid(
            "external alias off pattern",
            addon(#"{"keyName": "K", "aliases": ["a=b"]}"#, list: "externalAddonDependencies"),
            at: "externalAddonDependencies[0].keys[0].aliases[0]",
            Message.aliasPattern
        ),
        .invalid(
            "external addonId off pattern",
            addon("", list: "externalAddonDependencies", addonId: #""addonId": "a.b", "#),
            at: "externalAddonDependencies[0].addonId",
            Message.objectIdPattern
        ),
        .invalid(
            "external dependency without addonId or keys",
            #""externalAddonDependencies": [{}]"#,
            issues: ["externalAddonDependencies[0].addonId": [Message.required], "externalAddonDependencies[0].keys": [Message.required]]
        ),
        .invalid("externalAddonDependencies as null", #""externalAddonDependencies": null"#, at: "externalAddonDependencies", Message.array),
    ]

    @Test("addonDependencies and externalAddonDependencies", arguments: addonCases)
    func addons(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("accepted restrictions and dependencies are stored, with defaults for absent members")
    func storedValues() throws {
        let text =
            #""restrictions": {"nfObjects": [{"id": "api", "type": "service"}, {"id": "cron", "type": "job"}], "#
            + #""tags": ["abc"], "tagMatchCondition": "and", "stageIds": ["prod"]}, "#
            + #""addonDependencies": [{"addonId": "db", "keys": [{"keyName": "HOST"}]}], "#
            + #""externalAddonDependencies": [{"addonId": "ext", "keys": [{"keyName": "1A", "aliases": ["", "X"]}]}]"#
        let definition = try SecretGroupDefinition(validating: try body(text))
        let restrictions = definition.restrictions
        #expect(restrictions.restricted == false)
        #expect(restrictions.nfObjects == [.init(id: "api", type: .service), .init(id: "cron", type: .job)])
        #expect(restrictions.tags == ["abc"])
        #expect(restrictions.tagMatchCondition == .and)
        #expect(restrictions.stageIds == ["prod"])
        #expect(definition.addonDependencies == [AddonDependency(addonId: "db", keys: [.init(keyName: "HOST", aliases: [])])])
        #expect(definition.externalAddonDependencies == [AddonDependency(addonId: "ext", keys: [.init(keyName: "1A", aliases: ["", "X"])])])

        let defaults = try SecretGroupDefinition(validating: try body(#""restrictions": {"restricted": true}"#))
        #expect(defaults.restrictions == Restrictions(restricted: true, nfObjects: [], tags: [], tagMatchCondition: .or, stageIds: []))
        #expect(defaults.addonDependencies.isEmpty)
        #expect(defaults.externalAddonDependencies.isEmpty)
    }
}
