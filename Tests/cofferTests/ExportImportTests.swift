import ArgumentParser
import CofferClient
import CofferCore
import CofferTestSupport
import Foundation
import Testing

@testable import coffer

/// `coffer export` and `coffer import secret`: their arguments, and the binary against a live server.
@Suite struct ExportImportTests {
    @Test func exportParsesOneSourceAndAFormat() throws {
        let service = try #require(try Coffer.parseAsRoot(["export", "--projectId", "demo", "--service", "api"]) as? ExportCommand)
        #expect(service.service == "api" && service.format == .dotenv)
        let job = try #require(try Coffer.parseAsRoot(["export", "--projectId", "demo", "--job", "nightly", "--format", "yaml"]) as? ExportCommand)
        #expect(job.job == "nightly" && job.format == .yaml)
        let secret = try #require(try Coffer.parseAsRoot(["export", "--projectId", "demo", "--secret", "app", "--format", "json"]) as? ExportCommand)
        #expect(secret.secret == "app" && secret.format == .json)
    }

    @Test(arguments: [
        ["export", "--projectId", "demo", "--service", "api", "--job", "nightly"],
        ["export", "--projectId", "demo", "--service", "api", "--secret", "app"],
        ["export", "--projectId", "demo"],
        ["export", "--service", "api"],
        ["export", "--projectId", "demo", "--service", "api", "--format", "toml"],
    ])
    func exportRefusesAmbiguousOrIncompleteArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func importSecretParsesWithDefaults() throws {
        let plain = try #require(
            try Coffer.parseAsRoot(["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", ".env"]) as? ImportCommand.Secret
        )
        #expect(plain.name == "App" && plain.dotenv == ".env" && plain.priority == 0 && plain.secretType == .environment && plain.type == nil)
        let full = try #require(
            try Coffer.parseAsRoot([
                "import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", "-", "--priority=-5", "--secret-type",
                "environment-arguments", "--type", "config",
            ]) as? ImportCommand.Secret
        )
        #expect(full.priority == -5 && full.secretType == .environmentArguments && full.type == .config && full.dotenv == "-")
    }

    @Test(arguments: [
        ["import", "secret", "--name", "App", "--dotenv", ".env"],
        ["import", "secret", "--projectId", "demo", "--dotenv", ".env"],
        ["import", "secret", "--projectId", "demo", "--name", "App"],
        ["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", ".env", "--secret-type", "env"],
        ["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", ".env", "--type", "password"],
        ["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", ".env", "--priority", "high"],
    ])
    func importRefusesIncompleteOrInvalidArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func helpShowsExamples() {
        #expect(Coffer.helpMessage(for: ExportCommand.self).contains("coffer export --projectId demo --service api --format dotenv > .env"))
        #expect(
            Coffer.helpMessage(for: ImportCommand.Secret.self).contains(
                "coffer import secret --projectId demo --name App --dotenv .env --priority 10"
            )
        )
    }

    static let awkward = "hello world $HOME \"q\" \\ # x\nsecond line"

    @Test func exportsAServicesResolvedVariablesAndAGroupsVariables() async throws {
        try await ClientProcess.withServer { url, client in
            try await RunCommandTests.prepareExampleService(client)
            let awkward = #"""
                {"name": "Awkward Values", "secretType": "environment", "priority": 1,
                 "secrets": {"variables": {"GREETING": "hello world $HOME \"q\" \\ # x\nsecond line"}}}
                """#
            _ = try await client.put.secret(projectId: "demo", data: JSONBody(awkward))
            let expected = ["GREETING": Self.awkward, "MONGO_DB": "some_connection_string", "NODE_ENV": "production"]

            let dotenv = try await ClientProcess.run(
                ["export", "--projectId", "demo", "--service", "example-service", "--format", "dotenv"],
                url: url
            )
            #expect(dotenv.status == 0 && dotenv.err.isEmpty)
            #expect(
                dotenv.out == #"GREETING="hello world \$HOME \"q\" \\ # x\nsecond line""# + "\nMONGO_DB=some_connection_string\nNODE_ENV=production\n"
            )
            #expect(try Dotenv.parse(dotenv.out) == expected)

            let json = try await ClientProcess.run(["export", "--projectId", "demo", "--service", "example-service", "--format", "json"], url: url)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(json.out.utf8)) == expected)

            let yaml = try await ClientProcess.run(
                ["export", "--projectId", "demo", "--secret", "example-secret", "--format", "yaml", "--quiet"],
                url: url
            )
            #expect(yaml.status == 0 && yaml.out == "MONGO_DB: some_connection_string\nNODE_ENV: production\n")
        }
    }

    @Test func verboseOutputNamesRequestsButNeverValuesOrTheToken() async throws {
        try await ClientProcess.withServer { url, client in
            try await RunCommandTests.prepareExampleService(client)
            let export = try await ClientProcess.run(["export", "--projectId", "demo", "--secret", "example-secret", "--verbose"], url: url)
            #expect(export.status == 0 && export.err.contains("GET \(url)/v1/projects/demo/secrets/example-secret"))
            for secret in ["production", "some_connection_string", ClientProcess.token] { #expect(!export.err.contains(secret)) }
        }
    }

    @Test func importsADotenvFileAsAGroupThatExportsBackTheSame() async throws {
        try await ClientProcess.withServer { url, client in
            let directory = ClientProcess.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = directory + "/app.env"
            try """
            # the app's settings
            export DATABASE_URL=postgres://app@db:5432/app
            API_KEY = 'k3y with $pace'   # a comment
            GREETING="hello\\nworld \\"quoted\\""
            TEMPLATED=${DATABASE_URL}

            """.write(toFile: file, atomically: true, encoding: .utf8)
            let expected = [
                "DATABASE_URL": "postgres://app@db:5432/app", "API_KEY": "k3y with $pace", "GREETING": "hello\nworld \"quoted\"",
                "TEMPLATED": "${DATABASE_URL}",
            ]

            let imported = try await ClientProcess.run(
                ["import", "secret", "--projectId", "demo", "--name", "App Config", "--dotenv", file, "--priority", "5", "--type", "config"],
                url: url
            )
            #expect(imported.status == 0 && imported.err.isEmpty)
            #expect(imported.out.contains(#""id" : "app-config""#))
            let group = try await client.get.secret(projectId: "demo", secretId: "app-config", show: .this)
            #expect(group.secrets.variables == expected)
            #expect(group.priority == 5 && group.type == .config && group.secretType == .environment)

            let exported = try await ClientProcess.run(["export", "--projectId", "demo", "--secret", "app-config"], url: url)
            #expect(try Dotenv.parse(exported.out) == expected)
            let again = try await ClientProcess.run(
                ["import", "secret", "--projectId", "demo", "--name", "App Config", "--dotenv", "-", "--secret-type", "arguments", "-o", "yaml"],
                url: url,
                stdin: exported.out
            )
            #expect(again.status == 0 && again.out.contains("secretType: arguments"))
            #expect(try await client.get.secret(projectId: "demo", secretId: "app-config", show: .this).secrets.variables == expected)
        }
    }

    @Test func aMalformedDotenvFileNamesTheLineButNeverQuotesIt() async throws {
        try await ClientProcess.withServer { url, _ in
            let directory = ClientProcess.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = directory + "/bad.env"
            try "A=1\n# fine\nhunter2-pasted-without-a-key\n".write(toFile: file, atomically: true, encoding: .utf8)
            let failed = try await ClientProcess.run(["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", file], url: url)
            #expect(failed.status == 1 && failed.out.isEmpty)
            #expect(failed.err == "coffer: error: \(file), line 3: expected KEY=value\n")
            let missing = try await ClientProcess.run(
                ["import", "secret", "--projectId", "demo", "--name", "App", "--dotenv", directory + "/none"],
                url: url
            )
            #expect(missing.status == 1 && missing.err == "coffer: error: Cannot read '\(directory)/none'\n")
        }
    }
}
