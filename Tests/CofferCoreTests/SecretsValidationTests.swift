import Foundation
import Testing

@testable import CofferCore

/// API.md section 2: `secrets.variables`, `secrets.files` and `secrets.dockerSecretMounts`.
@Suite("Validation table: secrets")
struct SecretsValidationTests {
    static func variables(_ members: String) -> String { #""secrets": {"variables": {\#(members)}}"# }
    static func files(_ members: String) -> String { #""secrets": {"files": {\#(members)}}"# }
    static func mounts(_ members: String) -> String { #""secrets": {"dockerSecretMounts": {\#(members)}}"# }
    static let file = #"{"data": "YQ=="}"#

    static let variableCases: [ValidationCase] = [
        .valid("reference variables", variables(#""NODE_ENV": "production", "MONGO_DB": "some_connection_string""#)),
        .valid("variable name with path characters", variables(#""a.b/c-d_e9": "v""#)),
        .valid("variable name of 256 characters", variables(#""\#(repeated("V", 256))": "v""#)),
        .invalid(
            "variable name of 257 characters",
            variables(#""\#(repeated("V", 257))": "v""#),
            at: "secrets.variables.\(repeated("V", 257))",
            "name must be at most 256 characters long"
        ),
        .invalid("variable name with a space", variables(#""NODE ENV": "v""#), at: #"secrets.variables["NODE ENV"]"#, Message.variableName),
        .invalid("empty variable name", variables(#""": "v""#), at: #"secrets.variables[""]"#, Message.variableName),
        .invalid("variable name with a dollar", variables(#""A$B": "v""#), at: #"secrets.variables["A$B"]"#, Message.variableName),
        .invalid(
            "variable name off pattern and too long",
            variables(#""\#(repeated("!", 257))": "v""#),
            at: "secrets.variables[\"\(repeated("!", 257))\"]",
            Message.variableName,
            "name must be at most 256 characters long"
        ),
        .valid("empty variable value", variables(#""A": """#)),
        .valid("number variable value", variables(#""PORT": 8080"#)),
        .valid("boolean variable value", variables(#""DEBUG": false"#)),
        .invalid("null variable value", variables(#""A": null"#), at: "secrets.variables.A", Message.variableValue),
        .invalid("object variable value", variables(#""A": {}"#), at: "secrets.variables.A", Message.variableValue),
        .invalid("array variable value", variables(#""A": ["x"]"#), at: "secrets.variables.A", Message.variableValue),
        .invalid(
            "bad name and bad value",
            variables(#""A B": null"#),
            at: #"secrets.variables["A B"]"#,
            Message.variableName,
            Message.variableValue
        ),
        .invalid("variables as an array", #""secrets": {"variables": []}"#, at: "secrets.variables", Message.object),
        .invalid("secrets as a string", #""secrets": "x""#, at: "secrets", Message.object),
        .invalid("secrets as null", #""secrets": null"#, at: "secrets", Message.object),
        .valid("empty secrets", #""secrets": {}"#),
    ]

    @Test("secrets.variables", arguments: variableCases)
    func variables(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static let fileCases: [ValidationCase] = [
        .valid("reference file", files(#""/dir/fileName": {"data": "VGhpcw==", "encoding": "utf-8"}"#)),
        .valid("file at the root", files(#""/f": \#(file)"#)),
        .valid("file with dots in names", files(#""/a/..b/c../.d": \#(file)"#)),
        .valid("file with segments of one and three dots", files(#""/a/./.../b/...": \#(file)"#)),
        .valid("empty file", files(#""/f": {"data": ""}"#)),
        .valid("path of 1024 characters", files(#""/\#(repeated("p", 1023))": \#(file)"#)),
        .invalid(
            "path of 1025 characters",
            files(#""/\#(repeated("p", 1024))": \#(file)"#),
            at: "secrets.files[\"/\(repeated("p", 1024))\"]",
            "path must be at most 1024 characters long"
        ),
        .invalid("relative path", files(#""dir/f": \#(file)"#), at: #"secrets.files["dir/f"]"#, "path must be absolute (start with /)"),
        .invalid("empty path", files(#""": \#(file)"#), at: #"secrets.files[""]"#, "path must be absolute (start with /)"),
        .invalid("directory path", files(#""/dir/": \#(file)"#), at: #"secrets.files["/dir/"]"#, "path must name a file, not end with /"),
        .invalid("root path", files(#""/": \#(file)"#), at: #"secrets.files["/"]"#, "path must name a file, not end with /"),
        .invalid("dot-dot segment", files(#""/a/../b": \#(file)"#), at: #"secrets.files["/a/../b"]"#, "path must not contain a .. segment"),
        .invalid("first dot-dot segment", files(#""/../b": \#(file)"#), at: #"secrets.files["/../b"]"#, "path must not contain a .. segment"),
        .invalid("final dot-dot segment", files(#""/a/..": \#(file)"#), at: #"secrets.files["/a/.."]"#, "path must not contain a .. segment"),
        .invalid("NUL in path", files(#""/a\u0000b": \#(file)"#), at: #"secrets.files["/a\u0000b"]"#, "path must not contain NUL"),
        .invalid(
            "relative directory with dot-dot",
            files(#""../": \#(file)"#),
            at: #"secrets.files["../"]"#,
            "path must be absolute (start with /)",
            "path must name a file, not end with /",
            "path must not contain a .. segment"
        ),
        .invalid("data not base64", files(#""/f": {"data": "not base64!"}"#), at: #"secrets.files["/f"].data"#, Message.base64),
        .invalid("data with a bad length", files(#""/f": {"data": "YQ="}"#), at: #"secrets.files["/f"].data"#, Message.base64),
        .invalid("data as a number", files(#""/f": {"data": 12}"#), at: #"secrets.files["/f"].data"#, Message.string),
        .invalid("data as null", files(#""/f": {"data": null}"#), at: #"secrets.files["/f"].data"#, Message.string),
        .invalid("file without data", files(#""/f": {"encoding": "ascii"}"#), at: #"secrets.files["/f"].data"#, Message.required),
        .valid("encoding ascii", files(#""/f": {"data": "YQ==", "encoding": "ascii"}"#)),
        .valid("encoding latin1", files(#""/f": {"data": "YQ==", "encoding": "latin1"}"#)),
        .valid("encoding utf16le", files(#""/f": {"data": "YQA=", "encoding": "utf16le"}"#)),
        .valid("encoding binary", files(#""/f": {"data": "AP8=", "encoding": "binary"}"#)),
        .invalid(
            "encoding utf8 without hyphen",
            files(#""/f": {"data": "YQ==", "encoding": "utf8"}"#),
            at: #"secrets.files["/f"].encoding"#,
            Message.encoding
        ),
        .invalid("encoding as null", files(#""/f": {"data": "YQ==", "encoding": null}"#), at: #"secrets.files["/f"].encoding"#, Message.encoding),
        .invalid("file as a string", files(#""/f": "YQ==""#), at: #"secrets.files["/f"]"#, Message.object),
        .invalid("files as an array", #""secrets": {"files": []}"#, at: "secrets.files", Message.object),
        .valid("reference docker secret mount", mounts(#""example-secret-mount_1": {"data": "VGhpcw==", "encoding": "utf-8"}"#)),
        .valid("mount name of 100 characters", mounts(#""\#(repeated("m", 100))": \#(file)"#)),
        .invalid(
            "mount name of 101 characters",
            mounts(#""\#(repeated("m", 101))": \#(file)"#),
            at: "secrets.dockerSecretMounts.\(repeated("m", 101))",
            "name must be at most 100 characters long"
        ),
        .invalid("mount name with a slash", mounts(#""a/b": \#(file)"#), at: #"secrets.dockerSecretMounts["a/b"]"#, Message.mountName),
        .invalid("empty mount name", mounts(#""": \#(file)"#), at: #"secrets.dockerSecretMounts[""]"#, Message.mountName),
        .invalid("mount data not base64", mounts(#""m": {"data": "%%%"}"#), at: "secrets.dockerSecretMounts.m.data", Message.base64),
        .invalid(
            "mount encoding unknown",
            mounts(#""m": {"data": "", "encoding": "utf-16"}"#),
            at: "secrets.dockerSecretMounts.m.encoding",
            Message.encoding
        ),
        .invalid("dockerSecretMounts as a string", #""secrets": {"dockerSecretMounts": "m"}"#, at: "secrets.dockerSecretMounts", Message.object),
    ]

    @Test("secrets.files and secrets.dockerSecretMounts", arguments: fileCases)
    func files(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    static let small = ValidationLimits(maximumVariableValueBytes: 4, maximumFileBytes: 3, maximumVariables: 2)

    static let limitCases: [ValidationCase] = [
        .valid("variable value at the byte limit", variables(#""A": "abcd""#), limits: small),
        .invalid(
            "variable value over the byte limit",
            variables(#""A": "abcde""#),
            at: "secrets.variables.A",
            "must be at most 4 bytes",
            limits: small
        ),
        .valid("two-byte characters at the byte limit", variables(#""A": "\u00e9\u00e9""#), limits: small),
        .invalid(
            "two-byte characters over the byte limit",
            variables(#""A": "\u00e9\u00e9a""#),
            at: "secrets.variables.A",
            "must be at most 4 bytes",
            limits: small
        ),
        .invalid(
            "number literal over the byte limit",
            variables(#""A": 12345"#),
            at: "secrets.variables.A",
            "must be at most 4 bytes",
            limits: small
        ),
        .valid("variables at the count limit", variables(#""A": "1", "B": "2""#), limits: small),
        .invalid(
            "variables over the count limit",
            variables(#""A": "1", "B": "2", "C": "3""#),
            at: "secrets.variables",
            "must have at most 2 variables",
            limits: small
        ),
        .valid("file at the decoded byte limit", files(#""/f": {"data": "YWJj"}"#), limits: small),
        .invalid(
            "file over the decoded byte limit",
            files(#""/f": {"data": "YWJjZA=="}"#),
            at: #"secrets.files["/f"].data"#,
            "must decode to at most 3 bytes",
            limits: small
        ),
        .valid("mount at the decoded byte limit", mounts(#""m": {"data": "YWJj"}"#), limits: small),
        .invalid(
            "mount over the decoded byte limit",
            mounts(#""m": {"data": "YWJjZA=="}"#),
            at: "secrets.dockerSecretMounts.m.data",
            "must decode to at most 3 bytes",
            limits: small
        ),
        .valid("variable value at the default 64 KiB limit", variables(#""A": "\#(repeated("v", 65_536))""#)),
        .invalid(
            "variable value over the default 64 KiB limit",
            variables(#""A": "\#(repeated("v", 65_537))""#),
            at: "secrets.variables.A",
            "must be at most 65536 bytes"
        ),
        .valid("file at the default 1 MiB limit", files(#""/f": {"data": "\#(Data(count: 1_048_576).base64EncodedString())"}"#)),
        .invalid(
            "file over the default 1 MiB limit",
            files(#""/f": {"data": "\#(Data(count: 1_048_577).base64EncodedString())"}"#),
            at: #"secrets.files["/f"].data"#,
            "must decode to at most 1048576 bytes"
        ),
        .valid("1000 variables by default", variables((1...1000).map { #""V\#($0)": "x""# }.joined(separator: ", "))),
        .invalid(
            "1001 variables by default",
            variables((1...1001).map { #""V\#($0)": "x""# }.joined(separator: ", ")),
            at: "secrets.variables",
            "must have at most 1000 variables"
        ),
    ]

    @Test("ValidationLimits", arguments: limitCases)
    func limits(_ testCase: ValidationCase) throws {
        try testCase.check()
    }

    @Test("variable values are stored as their JSON text; files keep their decoded bytes and encoding")
    func storedValues() throws {
        let text =
            #""secrets": {"variables": {"S": "text", "PORT": 8080, "RATIO": 1.50, "BIG": -2E+3, "ON": true, "OFF": false}, "#
            + #""files": {"/dir/a": {"data": "aGk="}, "/dir/b": {"data": "AP8=", "encoding": "binary"}}, "#
            + #""dockerSecretMounts": {"npmrc": {"data": "eA==", "encoding": "latin1"}}}"#
        let secrets = try SecretGroupDefinition(validating: try body(text)).secrets
        #expect(secrets.variables == ["S": "text", "PORT": "8080", "RATIO": "1.50", "BIG": "-2E+3", "ON": "true", "OFF": "false"])
        #expect(secrets.files["/dir/a"] == SecretFile(data: Data("hi".utf8), encoding: .utf8))
        #expect(secrets.files["/dir/b"] == SecretFile(data: Data([0x00, 0xFF]), encoding: .binary))
        #expect(secrets.dockerSecretMounts == ["npmrc": SecretFile(data: Data("x".utf8), encoding: .latin1)])
    }

    @Test("absent secrets default to empty maps")
    func emptySecrets() throws {
        let definition = try SecretGroupDefinition(validating: try body())
        #expect(definition.secrets == SecretValues())
        let onlyFiles = try SecretGroupDefinition(validating: try body(#""secrets": {"files": {"/f": {"data": ""}}}"#))
        #expect(onlyFiles.secrets.variables.isEmpty)
        #expect(onlyFiles.secrets.dockerSecretMounts.isEmpty)
        #expect(onlyFiles.secrets.files == ["/f": SecretFile(data: Data(), encoding: .utf8)])
    }
}
