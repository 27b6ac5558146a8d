import ArgumentParser
import Testing

@testable import coffer

/// Every client command parses from the reference CLI's argument shapes, and refuses what it cannot run.
@Suite struct CommandParsingTests {
    static let parsed: [([String], String)] = [
        (["login", "--url", "http://127.0.0.1:8080", "--token", "t", "--name", "local"], "Login"),
        (["context", "list"], "ListContexts"),
        (["context", "use", "local"], "UseContext"),
        (["put", "secret", "--projectId", "demo", "-f", "body.json"], "Put"),
        (["create", "secret", "--projectId", "demo", "-i", "{}"], "Create"),
        (["create", "project", "-i", "name: Demo"], "Create"),
        (["create", "addon", "--projectId", "demo", "-f", "-"], "Create"),
        (["create", "external-addon", "--projectId", "demo", "-f", "a.yaml"], "Create"),
        (["create", "service", "--projectId", "demo", "-i", "{}"], "Create"),
        (["create", "job", "--projectId", "demo", "-i", "{}"], "Create"),
        (["get", "secret", "--projectId", "demo", "--secretId", "s", "--show", "inherited", "-o", "yaml"], "Get"),
        (["get", "secret", "--projectId", "demo", "--secretId", "s", "--details"], "Get"),
        (["get", "secret-link", "--projectId", "demo", "--secretId", "s", "--addonId", "a"], "Get"),
        (["get", "project", "--projectId", "demo"], "Get"),
        (["get", "addon", "--projectId", "demo", "--addonId", "a"], "Get"),
        (["get", "external-addon", "--projectId", "demo", "--addonId", "a"], "Get"),
        (["get", "service", "--projectId", "demo", "--serviceId", "web"], "Show"),
        (
            ["get", "service", "runtime-environment", "--projectId", "demo", "--serviceId", "web", "--replace-templated-values"],
            "Effective<RuntimePhase>"
        ),
        (["get", "service", "build-arguments", "--projectId", "demo", "--serviceId", "web", "--details"], "Effective<BuildPhase>"),
        (["get", "job", "runtime-environment", "--projectId", "demo", "--jobId", "nightly", "--show", "this"], "Effective<RuntimePhase>"),
        (["get", "job", "--projectId", "demo", "--jobId", "nightly"], "Show"),
        (["list", "secrets", "--projectId", "demo", "-o", "table"], "List"),
        (["list", "projects", "--teamId", "default"], "List"),
        (["list", "addons", "--projectId", "demo"], "List"),
        (["list", "external-addons", "--projectId", "demo"], "List"),
        (["list", "services", "--projectId", "demo"], "List"),
        (["list", "jobs", "--projectId", "demo"], "List"),
        (["patch", "secret", "--projectId", "demo", "--secretId", "s", "-i", "{}"], "Patch"),
        (["patch", "addon", "--projectId", "demo", "--addonId", "a", "-i", "{}"], "Patch"),
        (["patch", "external-addon", "--projectId", "demo", "--addonId", "a", "-i", "{}"], "Patch"),
        (["patch", "service", "--projectId", "demo", "--serviceId", "web", "-i", "{}"], "Patch"),
        (["patch", "job", "--projectId", "demo", "--jobId", "nightly", "-i", "{}"], "Patch"),
        (["update", "secret", "--projectId", "demo", "--secretId", "s", "-f", "c.json", "--quiet"], "Update"),
        (["update", "secret-link", "--projectId", "demo", "--secretId", "s", "--addonId", "a", "-i", "{}"], "Update"),
        (["update", "service", "runtime-environment", "--projectId", "demo", "--serviceId", "web", "-i", "{}"], "SetOwn<RuntimePhase>"),
        (["update", "job", "build-arguments", "--projectId", "demo", "--jobId", "nightly", "-i", "{}"], "SetOwn<BuildPhase>"),
        (["delete", "secret", "--projectId", "demo", "--secretId", "s", "--verbose"], "Delete"),
        (["delete", "secret-link", "--projectId", "demo", "--secretId", "s", "--addonId", "a"], "Delete"),
        (["delete", "project", "--projectId", "demo"], "Delete"),
        (["delete", "addon", "--projectId", "demo", "--addonId", "a"], "Delete"),
        (["delete", "external-addon", "--projectId", "demo", "--addonId", "a"], "Delete"),
        (["delete", "service", "--projectId", "demo", "--serviceId", "web"], "Delete"),
        (["delete", "job", "--projectId", "demo", "--jobId", "nightly"], "Delete"),
        (["token", "list", "--database-url", "postgres://coffer@db:5432/coffer"], "List"),
        (["audit", "verify", "--database-url", "postgres://coffer@db/coffer", "--master-key-file", "key"], "Verify"),
        (["migrate", "--from-data-dir", "./coffer-data", "--to-database-url", "postgres://coffer@db:5432/coffer"], "MigrateCommand"),
    ]

    @Test(arguments: parsed)
    func parses(arguments: [String], typeName: String) throws {
        let command = try Coffer.parseAsRoot(arguments)
        #expect(String(describing: type(of: command)) == typeName, "\(arguments.joined(separator: " "))")
    }

    @Test(arguments: [
        ["put", "secret", "-f", "body.json"],
        ["get", "secret", "--projectId", "demo"],
        ["get", "service", "runtime-environment", "--projectId", "demo"],
        ["get", "job", "--projectId", "demo", "--serviceId", "web"],
        ["get", "secret", "--projectId", "demo", "--secretId", "s", "-o", "xml"],
        ["get", "secret", "--projectId", "demo", "--secretId", "s", "--show", "everything"],
        ["login", "--url", "ftp://host", "--token", "t"],
        ["login", "--url", "http://host"],
        ["context", "use"],
        ["put", "project", "-i", "{}"],
        ["token", "list", "--data-dir", "d", "--database-url", "postgres://coffer@db/coffer"],
        ["audit", "verify", "--database-url", "mysql://db/coffer"],
        ["migrate", "--from-data-dir", "d"],
        ["migrate", "--from-data-dir", "d", "--to-database-url", "postgres://db/coffer?sslmode=sometimes"],
    ])
    func refuses(arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func optionsLandWhereTheyBelong() throws {
        let command = try #require(
            try Coffer.parseAsRoot(["get", "secret", "--projectId", "demo", "--secretId", "s", "--teamId", "t", "-o", "yaml", "--quiet"])
                as? SecretCommands.Get
        )
        #expect(command.projectId == "demo" && command.secretId == "s")
        #expect(command.connection.teamId == "t" && command.connection.output == .yaml && command.connection.quiet)
    }

    @Test func helpForPutSecretShowsAnExample() {
        let help = Coffer.helpMessage(for: SecretCommands.Put.self)
        #expect(help.contains("coffer put secret --projectId demo -f put-secret.request.json"))
        #expect(help.contains("-i, --input"))
    }

    @Test func completionScriptsAreGenerated() {
        for shell in ["bash", "zsh", "fish"] {
            let script = Coffer.completionScript(for: CompletionShell(rawValue: shell)!)
            #expect(script.contains("secret-link") && script.contains("runtime-environment"), "\(shell)")
        }
    }

    @Test func theDatabaseURLComesFromTheEnvironmentUnlessADataDirectoryIsNamed() throws {
        let environment = ["COFFER_DATABASE_URL": "postgres://coffer@db/coffer"]
        let bare = try StoreOptions.parse([])
        #expect(bare.effectiveDatabaseURL(environment: environment) == "postgres://coffer@db/coffer")
        #expect(bare.effectiveDatabaseURL(environment: [:]) == nil)
        #expect(try StoreOptions.parse(["--data-dir", "d"]).effectiveDatabaseURL(environment: environment) == nil)
        let flag = try StoreOptions.parse(["--database-url", "postgres://other@db/x"])
        #expect(flag.effectiveDatabaseURL(environment: environment) == "postgres://other@db/x")
    }
}
