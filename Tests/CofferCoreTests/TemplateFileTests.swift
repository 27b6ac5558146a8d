import CofferTestSupport
import Foundation
import Testing

@testable import CofferCore

@Suite("Templates in resolutions and files")
struct TemplateFileTests {
    static let service = Fixture.workload("api")

    @Test("substitutingTemplates replaces ${NAME} in winning variables and keeps sources")
    func resolutionVariables() throws {
        let group = Fixture.group("config", priority: 10, variables: ["HOST": "db", "URL": "postgres://${HOST}/${DB}"])
        let workload = Fixture.workload("api", values: WorkloadValues(runtimeEnvironment: ["DB": "main"]))
        let resolution = Resolver(groups: [group]).substituted(workload)
        #expect(resolution.environment["URL"] == "postgres://db/main")
        #expect(resolution.variables["URL"]?.source == Fixture.source("config", 10))
        #expect(resolution.variables["DB"]?.source == .workload)
    }

    @Test("without substitution values are returned as stored")
    func storedValuesUntouched() {
        let group = Fixture.group("config", priority: 10, variables: ["HOST": "db", "URL": "${HOST}"])
        #expect(Resolver(groups: [group]).resolve(Self.service, phase: .runtime).environment["URL"] == "${HOST}")
    }

    @Test("templates refer to the same phase's final map")
    func templatesUsePhaseMap() {
        let groups = [
            Fixture.group("runtime", .environment, priority: 10, variables: ["MODE": "run", "LABEL": "${MODE}"]),
            Fixture.group("build", .arguments, priority: 10, variables: ["MODE": "build", "LABEL": "${MODE}"]),
        ]
        let resolver = Resolver(groups: groups)
        #expect(resolver.substituted(Self.service, phase: .runtime).environment["LABEL"] == "run")
        #expect(resolver.substituted(Self.service, phase: .build).environment["LABEL"] == "build")
    }

    @Test("an unresolvable reference in a resolution is left as written and warned about")
    func resolutionWarnings() {
        let group = Fixture.group("config", priority: 10, variables: ["A": "${MISSING}"], files: ["/f": Fixture.file("${ALSO_MISSING}")])
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.environment["A"] == "${MISSING}")
        #expect(resolution.fileValues["/f"] == Fixture.file("${ALSO_MISSING}"))
        #expect(resolution.warnings.contains { $0.contains("${MISSING}") })
        #expect(resolution.warnings.contains { $0.contains("/f") && $0.contains("${ALSO_MISSING}") })
    }

    @Test("text files are decoded, substituted and re-encoded in their own encoding", arguments: [FileEncoding.utf8, .ascii, .latin1, .utf16le])
    func textFilesSubstituted(encoding: FileEncoding) {
        let file = Fixture.file("key=${NAME};$${NAME}", encoding)
        let group = Fixture.group("config", priority: 10, variables: ["NAME": "value"], files: ["/f": file])
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.fileValues["/f"] == Fixture.file("key=value;${NAME}", encoding))
    }

    @Test("non-ASCII text survives the round trip in utf-8, latin1 and utf16le", arguments: [FileEncoding.utf8, .latin1, .utf16le])
    func nonASCIIText(encoding: FileEncoding) {
        let file = Fixture.file("Grüße aus ${CITY}", encoding)
        let group = Fixture.group("config", priority: 10, variables: ["CITY": "Zürich"], files: ["/f": file])
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.fileValues["/f"] == Fixture.file("Grüße aus Zürich", encoding))
    }

    @Test("binary files are never substituted")
    func binaryUntouched() {
        let binary = SecretFile(data: Data("${NAME}".utf8) + Data([0x00, 0xFF]), encoding: .binary)
        let group = Fixture.group("config", priority: 10, variables: ["NAME": "value"], files: ["/bin": binary])
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.fileValues["/bin"] == binary)
        #expect(resolution.warnings.isEmpty)
    }

    @Test("a text file whose bytes are invalid in its encoding is left as stored")
    func invalidTextUntouched() {
        let invalid = SecretFile(data: Data("${NAME}".utf8) + Data([0xC3]), encoding: .utf8)
        let group = Fixture.group("config", priority: 10, variables: ["NAME": "value"], files: ["/f": invalid])
        #expect(Resolver(groups: [group]).substituted(Self.service).fileValues["/f"] == invalid)
    }

    @Test("a substituted text that cannot be encoded back is left as stored with a warning")
    func unencodableSubstitutionWarns() {
        let file = Fixture.file("name=${NAME}", .latin1)
        let group = Fixture.group("config", priority: 10, variables: ["NAME": "snowman \u{2603}"], files: ["/f": file])
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.fileValues["/f"] == file)
        #expect(resolution.warnings.contains { $0.contains("/f") && $0.contains("latin1") })
    }

    @Test("a UTF-8 file's byte order mark is kept when the file is substituted")
    func utf8ByteOrderMarkKept() {
        let bom = Data([0xEF, 0xBB, 0xBF])
        let file = SecretFile(data: bom + Data("mode=${MODE}\n".utf8), encoding: .utf8)
        let group = Fixture.group("config", priority: 10, variables: ["MODE": "on"], files: ["/f": file])
        let resolved = Resolver(groups: [group]).substituted(Self.service).fileValues["/f"]
        #expect(resolved?.data == bom + Data("mode=on\n".utf8))
    }

    @Test("a UTF-16LE file's byte order mark is kept when the file is substituted")
    func utf16ByteOrderMarkKept() {
        let bom = Data([0xFF, 0xFE])
        let file = SecretFile(data: bom + Fixture.file("mode=${MODE}", .utf16le).data, encoding: .utf16le)
        let group = Fixture.group("config", priority: 10, variables: ["MODE": "on"], files: ["/f": file])
        let resolved = Resolver(groups: [group]).substituted(Self.service).fileValues["/f"]
        #expect(resolved?.data == bom + Fixture.file("mode=on", .utf16le).data)
    }

    @Test("docker secret mounts are substituted like files in the build phase")
    func mountsSubstituted() {
        let group = Fixture.group("config", .arguments, priority: 10, variables: ["TOKEN": "t"], mounts: ["npmrc": Fixture.file("auth=${TOKEN}")])
        let resolution = Resolver(groups: [group]).substituted(Self.service, phase: .build)
        #expect(resolution.dockerSecretMountValues["npmrc"] == Fixture.file("auth=t"))
    }

    @Test("a file referring into a cycle keeps the cyclic reference and gets the rest")
    func fileReferringIntoCycle() {
        let group = Fixture.group(
            "config",
            priority: 10,
            variables: ["A": "${B}", "B": "${A}", "D": "d"],
            files: ["/f": Fixture.file("${A}|${D}")]
        )
        let resolution = Resolver(groups: [group]).substituted(Self.service)
        #expect(resolution.fileValues["/f"] == Fixture.file("${A}|d"))
        #expect(resolution.warnings.contains { $0.hasPrefix("/f:") && $0.contains("cycle") })
    }

    @Test("the reference body's templated file resolves NODE_ENV from its own group (end to end)")
    func referenceBodyEndToEnd() throws {
        let encoded = "VGhpcyBpcyBhbiBleGFtcGxlIHdpdGggYSB0ZW1wbGF0ZWQgJHtOT0RFX0VOVn0gdmFyaWFibGU="
        #expect(ReferenceBody.json.contains(encoded))
        let body = ReferenceBody.replacing(#""secretType": "environment""#, with: #""secretType": "environment-arguments""#)
        let definition = try SecretGroupDefinition(validating: try parseJSON(body))
        let group = SecretGroup(projectId: "demo", definition: definition, version: 1, createdAt: Fixture.epoch, updatedAt: Fixture.epoch)
        let addon = Fixture.addon("example-addon", credentials: ["USERNAME": "placeholder-user"])
        let resolver = Resolver(groups: [group], addons: ["example-addon": addon], externalAddons: ["example-addon": addon])
        let workload = Fixture.workload("example-service")
        let expected = "This is an example with a templated production variable"

        let runtime = resolver.substituted(workload, phase: .runtime)
        #expect(runtime.environment["NODE_ENV"] == "production")
        #expect(runtime.environment["NF_EXAMPLE-ADDON_USERNAME"] == "placeholder-user")
        #expect(runtime.environment["MONGO_USERNAME"] == "placeholder-user")
        #expect(try #require(runtime.fileValues["/dir/fileName"]).utf8Text == expected)
        #expect(runtime.dockerSecretMounts.isEmpty)

        let build = resolver.substituted(workload, phase: .build)
        #expect(try #require(build.dockerSecretMountValues["example-secret-mount_1"]).utf8Text == expected)

        let unsubstituted = resolver.resolve(workload, phase: .runtime)
        #expect(unsubstituted.fileValues["/dir/fileName"]?.data == Data(base64Encoded: encoded))
        #expect(resolver.resolve(Fixture.workload("other-service"), phase: .runtime).variables.isEmpty)
    }
}
