import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore
import Foundation
import Testing

@testable import coffer

/// `coffer apply` and `coffer diff project`: placeholders, reading definition files, the plan's text, and the binary
/// against a live server.
@Suite struct ApplyCommandTests {
    // MARK: - Placeholders

    @Test func placeholdersAreReplacedAndTheEscapeStaysLiteral() {
        let environment = ["USER_NAME": "app", "EMPTY": "", "PASS": "p${env:USER_NAME}$$"]
        func replaced(_ text: String) -> String? { try? EnvironmentPlaceholders.replacing(in: text, environment: environment).get() }
        #expect(replaced("postgres://${env:USER_NAME}:${env:PASS}@db/${env:USER_NAME}") == "postgres://app:p${env:USER_NAME}$$@db/app")
        #expect(replaced("$${env:USER_NAME} and $$${env:USER_NAME}") == "${env:USER_NAME} and $${env:USER_NAME}")
        #expect(replaced("[${env:EMPTY}]") == "[]")
        #expect(replaced("$$$${env:USER_NAME}") == "$$${env:USER_NAME}")
        #expect(replaced("$HOME ${USER_NAME} $$ {env:X} ${env $") == "$HOME ${USER_NAME} $$ {env:X} ${env $")
        #expect(replaced("${env:USER_NAME") == nil)
    }

    @Test func problemsNameTheVariableAndNeverTheText() throws {
        let result = EnvironmentPlaceholders.replacing(in: "secret-part ${env:NOPE} ${env:9bad} ${env:also-bad} ${env:OPEN", environment: [:])
        let messages = try #require(result.failure).messages
        #expect(
            messages == [
                "environment variable NOPE is not set",
                "a '${env:...}' placeholder needs a variable name of letters, digits and '_'",
                "a '${env:...}' placeholder needs a variable name of letters, digits and '_'",
                "'${env:' without a closing '}' (write '$${env:' for the text itself)",
            ]
        )
        #expect(!messages.joined().contains("secret-part"))
    }

    @Test func placeholdersAreReplacedInEveryStringValueByPath() throws {
        let body = try JSONParser().parse(
            Array(#"{"name": "${env:N}", "tags": ["${env:T}"], "secrets": {"variables": {"${env:K}": "${env:GONE}", "n": 1}}}"#.utf8)
        )
        var problems: [EnvironmentPlaceholders.Problem] = []
        let replaced = EnvironmentPlaceholders.replacing(in: body, environment: ["N": "App", "T": "web", "K": "x"], problems: &problems)
        #expect(problems.map { "\($0.path): \($0.message)" } == [#"secrets.variables["${env:K}"]: environment variable GONE is not set"#])
        #expect(replaced.jsonText == #"{"name":"App","tags":["web"],"secrets":{"variables":{"${env:K}":"${env:GONE}","n":1}}}"#)
    }

    @Test func jsonTextKeepsNumbersAndOrderAndRoundTrips() throws {
        let text = #"{"z": 1.50, "a": [true, null, -0, 1e400], "s": "q\"\\/\n\t\u0001 é 🙂", "": {}}"#
        let value = try JSONParser().parse(Array(text.utf8))
        #expect(value.jsonText.hasPrefix(#"{"z":1.50,"a":[true,null,-0,1e400],"s":"#))
        #expect(try JSONParser().parse(Array(value.jsonText.utf8)) == value)
    }

    // MARK: - Definition files

    /// A directory of definitions: `files` by relative path.
    static func directory(_ files: [String: String]) throws -> String {
        let directory = ClientProcess.temporaryDirectory()
        for (path, text) in files {
            let file = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func aDirectoryContributesItsDefinitionFilesSortedByPathWithLists() throws {
        let directory = try Self.directory([
            "b.yaml": "name: Bravo\nsecretType: environment\npriority: 1\n",
            "a/z.json": #"[{"name": "Alpha One", "priority": 1.0}, {"name": "Alpha Two"}]"#,
            "c.yml": "- name: Charlie\n",
            "notes.txt": "not a definition",
            ".hidden.yaml": "name: Hidden\n",
            ".git/config.json": "{}",
        ])
        let sources = try GroupDefinitionFiles.load([directory], environment: [:])
        #expect(sources.map(\.id) == ["alpha-one", "alpha-two", "bravo", "charlie"])
        #expect(sources.map(\.location) == ["\(directory)/a/z.json[0]", "\(directory)/a/z.json[1]", "\(directory)/b.yaml", "\(directory)/c.yml[0]"])
        #expect(sources[0].body.jsonText == #"{"name":"Alpha One","priority":1.0}"#)
        #expect(try GroupDefinitionFiles.load([directory + "/b.yaml", directory, directory + "/"], environment: [:]).count == 4)
    }

    @Test func yamlValuesStayAsWritten() throws {
        let yaml = "name: App\npriority: 10\nsecrets:\n  variables: {ZIP: 01234, MODE: 0755, ON: yes, RATE: .5, DAY: 2026-01-01, N: -3e2, T: true}\n"
        var problems: [String] = []
        let sources = GroupDefinitionFiles.definitions(inText: yaml, file: "app.yaml", environment: [:], problems: &problems)
        #expect(problems.isEmpty)
        let variables = try #require(sources.first?.body[member: "secrets"]?[member: "variables"])
        #expect(
            variables.jsonText == #"{"ZIP":"01234","MODE":"0755","ON":"yes","RATE":".5","DAY":"2026-01-01","N":-3e2,"T":true}"#
        )
        #expect(sources.first?.body[member: "priority"] == .number("10"))
    }

    @Test func twoDefinitionsOfOneIdAreAnErrorNamingBoth() throws {
        let directory = try Self.directory([
            "one.yaml": "name: Shared Config\n",
            "two.json": #"[{"name": "Other"}, {"name": "shared-config"}]"#,
        ])
        let error = try #require(throws: CLIError.self) { try GroupDefinitionFiles.load([directory], environment: [:]) }
        #expect(error.message == "\(directory)/one.yaml and \(directory)/two.json[1] both define the secret group 'shared-config'")
    }

    @Test func everyProblemOfEveryFileIsReportedAtOnce() throws {
        let directory = try Self.directory([
            "a.yaml": "name: Alpha\nsecrets:\n  variables:\n    DB_PASSWORD: ${env:COFFER_TEST_UNSET_VARIABLE}\n",
            "b.json": #"{"name": "Bravo", "#,
            "c.yaml": "- secretType: environment\n- 3\n",
            "d.yaml": "just text\n",
        ])
        let error = try #require(throws: CLIError.self) { try GroupDefinitionFiles.load([directory], environment: [:]) }
        #expect(
            error.message.components(separatedBy: "\ncoffer: error: ") == [
                "\(directory)/a.yaml: secrets.variables.DB_PASSWORD: environment variable COFFER_TEST_UNSET_VARIABLE is not set",
                "\(directory)/b.json: Malformed JSON at line 1, column 19: expected a member name in double quotes",
                "\(directory)/c.yaml: [0].name: is required, a string (the group's id derives from it)",
                "\(directory)/c.yaml: [1]: must be a secret group definition (an object)",
                "\(directory)/d.yaml: must hold a secret group definition (an object) or a list of them",
            ]
        )
        #expect(throws: CLIError.self) { try GroupDefinitionFiles.load([directory + "/missing"], environment: [:]) }
        let empty = try Self.directory(["notes.txt": "x"])
        #expect(throws: CLIError.self) { try GroupDefinitionFiles.load([empty], environment: [:]) }
    }

    // MARK: - Arguments and output

    @Test func applyAndDiffProjectParse() throws {
        let apply = try #require(
            try Coffer.parseAsRoot(["apply", "--projectId", "demo", "-f", "a", "-f", "b.yaml", "--prune", "--dry-run"]) as? ApplyCommand
        )
        #expect(apply.definitions.files == ["a", "b.yaml"] && apply.definitions.prune && apply.dryRun)
        let diff = try #require(try Coffer.parseAsRoot(["diff", "project", "--projectId", "demo", "-f", "groups"]) as? ApplyCommand.DiffProject)
        #expect(diff.definitions.files == ["groups"] && !diff.definitions.prune)
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(["apply", "--projectId", "demo"]) }
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(["apply", "-f", "groups"]) }
        #expect(Coffer.helpMessage(for: ApplyCommand.self).contains("coffer apply --projectId demo -f groups/ --prune --dry-run"))
    }

    static func key(_ key: String, _ type: PlannedKey.KeyType = .variable, now: String?, before: String?, addon: String? = nil) -> PlannedKey {
        PlannedKey(key: key, type: type, inheritedFrom: now, addonId: addon, previouslyFrom: before, previousAddonId: nil)
    }

    @Test func thePlanReadsAsKeysAndTheirGroups() {
        let api = WorkloadPlan(
            kind: .service, id: "api", phase: .runtime,
            added: [Self.key("NEW", now: "db", before: nil), Self.key("/etc/app.conf", .file, now: "files", before: nil)],
            removed: [Self.key("OLD", now: nil, before: "legacy")],
            changed: [Self.key("DB_URL", now: "db", before: "db"), Self.key("PORT", now: "api-config", before: "defaults")],
            moved: [Self.key("TOKEN", now: "db", before: "legacy", addon: "vault")],
            warnings: ["PORT is set by two groups of priority 5"]
        )
        let nightly = WorkloadPlan(
            kind: .job, id: "nightly", phase: .build, added: [], removed: [],
            changed: [Self.key("ARG", .dockerSecretMount, now: "db", before: "db")], moved: [], warnings: []
        )
        let results = [
            ChangeSetResult(op: .put, secretId: "db", version: 4, changed: true),
            ChangeSetResult(op: .put, secretId: "api-config", version: 2, changed: true),
            ChangeSetResult(op: .delete, secretId: "legacy", version: 7, changed: true),
        ]
        var answer = ChangeSetResource(
            revision: 9, firstRevision: 7, dryRun: false, changedSecrets: ["db", "api-config", "legacy"], results: results,
            plan: ChangeSetPlan(workloads: [api, nightly], warnings: ["Group 'x' is restricted to nothing"])
        )
        #expect(
            Output.changeSetText(answer) == """
                service api (runtime):
                  + NEW (from db)
                  + file /etc/app.conf (from files)
                  ~ DB_URL (from db)
                  ~ PORT (from api-config, was defaults)
                  - OLD (was legacy)
                  > TOKEN moved from legacy to db via addon vault
                  ! PORT is set by two groups of priority 5
                job nightly (build):
                  ~ mount ARG (from db)
                Warning: Group 'x' is restricted to nothing
                2 secrets changed (db, api-config), 1 deleted (legacy); 2 workloads affected.
                """
        )
        answer.dryRun = true
        answer.changedSecrets = ["legacy"]
        answer.plan.workloads = []
        #expect(Output.changeSetSummary(answer) == "Dry run, nothing changed: 1 secret to delete (legacy); no workloads affected.")
        answer.changedSecrets = []
        #expect(Output.changeSetSummary(answer) == "No changes.")
    }

    @Test func anErrorNamesTheFilesOfTheOperationsItNames() {
        let entries = [
            ChangeSetEntry(operation: .null, about: "the definition in a.yaml"), ChangeSetEntry(operation: .null, about: "the definition in b.yaml"),
        ]
        let error = APIClientError(
            status: 400, message: "Validation failed",
            details: ["operations[1].body.priority": ["must be at most 100"], "operations[7]": ["x"]]
        )
        #expect(
            ChangeSetEntry.explaining(error, entries)
                == "Validation failed (HTTP 400): operations[1].body.priority: must be at most 100, operations[7]: x "
                + "(operations[1] is the definition in b.yaml)"
        )
        #expect(ChangeSetEntry.explaining(APIClientError(status: 403, message: "Forbidden"), entries) == "Forbidden (HTTP 403)")
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
