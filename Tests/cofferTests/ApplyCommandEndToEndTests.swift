import CofferAPI
import CofferClient
import CofferCore
import Foundation
import Testing

@testable import coffer

/// The `coffer` binary applying a directory of definitions to a live server, and `coffer diff project`.
@Suite struct ApplyCommandEndToEndTests {
    /// Environment variable names no test runner sets, so "not set" means not set.
    static let password = "COFFER_APPLY_TEST_DB_PASSWORD"
    static let host = "COFFER_APPLY_TEST_DB_HOST"

    /// `groups/db.yaml` (restricted to services tagged `web`), `groups/more/app.json` (a list of two) and a file that
    /// is not a definition.
    static func definitions() throws -> String {
        try ApplyCommandTests.directory([
            "groups/db.yaml": """
            name: Database
            secretType: environment
            priority: 10
            restrictions: {restricted: true, tags: [web]}
            secrets:
              variables:
                DB_PASSWORD: ${env:\(password)}
                DB_URL: postgres://app@${env:\(host)}:5432/app
                LITERAL: $${env:NOT_REPLACED}
            """,
            "groups/more/app.json": """
            [{"name": "Api Config", "secretType": "environment", "priority": 5, "secrets": {"variables": {"PORT": 8080}}},
             {"name": "Build Args", "secretType": "arguments", "priority": 1, "secrets": {"variables": {"NODE_VERSION": "22"}}}]
            """,
            "groups/README.md": "not a definition",
        ]) + "/groups"
    }

    /// Runs `coffer arguments... --projectId demo` against `url` with the two variables set (unless overridden).
    static func coffer(
        _ arguments: [String], url: String, password: String? = "s3cret-one"
    ) async throws -> (status: Int32, out: String, err: String) {
        var environment = [Self.host: "db.internal"]
        environment[Self.password] = password
        return try await ClientProcess.run(arguments + ["--projectId", "demo"], url: url, environment: environment)
    }

    static func groupIds(_ client: APIClient) async throws -> [String] {
        var ids: [String] = []
        for try await group in client.list.secrets(projectId: "demo") { ids.append(group.id) }
        return ids
    }

    @Test func appliesADirectoryThenPlansNothingThenPlansAChangedValue() async throws {
        try await ClientProcess.withServer { url, client in
            _ = try await client.create.service(projectId: "demo", data: JSONBody(#"{"name": "Api", "tags": ["web"]}"#))
            let directory = try Self.definitions()
            let applied = try await Self.coffer(["apply", "-f", directory], url: url)
            #expect(applied.status == 0, "\(applied.err)")
            #expect(applied.out.contains("service api (runtime):\n  + DB_PASSWORD (from database)\n  + DB_URL (from database)\n"))
            #expect(applied.out.hasSuffix("3 secrets changed (database, api-config, build-args); 1 workload affected.\n"))
            #expect(!applied.out.contains("s3cret-one"))
            #expect(try await Self.groupIds(client) == ["api-config", "build-args", "database"])
            let database = try await client.get.secret(projectId: "demo", secretId: "database").secrets.variables
            #expect(database == ["DB_PASSWORD": "s3cret-one", "DB_URL": "postgres://app@db.internal:5432/app", "LITERAL": "${env:NOT_REPLACED}"])
            #expect(try await client.get.secret(projectId: "demo", secretId: "api-config").secrets.variables == ["PORT": "8080"])

            let again = try await Self.coffer(["apply", "-f", directory, "--dry-run"], url: url)
            #expect(again == (0, "No changes.\n", ""))
            let json = try await Self.coffer(["diff", "project", "-f", directory, "-o", "json"], url: url)
            #expect(json.status == 0)
            let answer = try JSONDecoder().decode(ChangeSetResource.self, from: Data(json.out.utf8))
            #expect(answer.dryRun && answer.changedSecrets.isEmpty && answer.plan.workloads.isEmpty && answer.results.count == 3)
            #expect(answer.results.allSatisfy { !$0.changed && $0.op == .put })

            let changed = try await Self.coffer(["apply", "-f", directory, "--dry-run"], url: url, password: "s3cret-two")
            #expect(changed.status == 2, "\(changed.err)")
            #expect(
                changed.out
                    == "service api (runtime):\n  ~ DB_PASSWORD (from database)\n"
                    + "Dry run, nothing changed: 1 secret to change (database); 1 workload affected.\n"
            )
            #expect(try await Self.coffer(["diff", "project", "-f", directory], url: url, password: "s3cret-two").status == 2)
            let changedJSON = try await Self.coffer(["diff", "project", "-f", directory, "-o", "json"], url: url, password: "s3cret-two")
            let plan = try JSONDecoder().decode(ChangeSetResource.self, from: Data(changedJSON.out.utf8))
            #expect(plan.changedSecrets == ["database"] && plan.plan.workloads.map(\.id) == ["api"])
            #expect(!changedJSON.out.contains("s3cret"))
            #expect(try await client.get.secret(projectId: "demo", secretId: "database").secrets.variables["DB_PASSWORD"] == "s3cret-one")

            #expect(try await Self.coffer(["apply", "-f", directory, "--quiet"], url: url, password: "s3cret-two") == (0, "", ""))
            #expect(try await client.get.secret(projectId: "demo", secretId: "database").secrets.variables["DB_PASSWORD"] == "s3cret-two")
            #expect(try await Self.coffer(["diff", "project", "-f", directory], url: url, password: "s3cret-two") == (0, "No changes.\n", ""))
        }
    }

    @Test func pruneDeletesGroupsTheFilesDoNotNameAndOnlyThen() async throws {
        try await ClientProcess.withServer { url, client in
            let directory = try Self.definitions()
            _ = try await client.put.secret(projectId: "demo", data: JSONBody(#"{"name": "Stray", "secretType": "environment", "priority": 1}"#))
            #expect(try await Self.coffer(["apply", "-f", directory], url: url).status == 0)
            #expect(try await Self.groupIds(client) == ["api-config", "build-args", "database", "stray"])
            // No service is tagged `web`: the project's warning comes with every plan.
            let warning = "Warning: Group 'database' is restricted to workloads that do not exist: it applies to no workload\n"
            #expect(try await Self.coffer(["diff", "project", "-f", directory], url: url) == (0, warning + "No changes.\n", ""))

            let plan = try await Self.coffer(["diff", "project", "-f", directory, "--prune"], url: url)
            #expect(plan == (2, warning + "Dry run, nothing changed: 1 secret to delete (stray); no workloads affected.\n", ""))
            let pruned = try await Self.coffer(["apply", "-f", directory, "--prune"], url: url)
            #expect(pruned == (0, warning + "1 secret deleted (stray); no workloads affected.\n", ""))
            #expect(try await Self.groupIds(client) == ["api-config", "build-args", "database"])
        }
    }

    @Test func aMissingVariableFailsBeforeAnythingIsSent() async throws {
        try await ClientProcess.withServer { url, client in
            let directory = try Self.definitions()
            let missing = try await Self.coffer(["apply", "-f", directory, "--verbose"], url: url, password: nil)
            #expect(missing.status == 1 && missing.out.isEmpty)
            #expect(
                missing.err
                    == "coffer: error: \(directory)/db.yaml: secrets.variables.DB_PASSWORD: environment variable \(Self.password) is not set\n"
            )
            #expect(try await Self.groupIds(client).isEmpty)
            let dry = try await Self.coffer(["diff", "project", "-f", directory], url: url, password: nil)
            #expect(dry.status == 1 && dry.err.contains("environment variable \(Self.password) is not set"))
        }
    }

    @Test func anInvalidDefinitionFailsWithTheServersDetailAndChangesNothing() async throws {
        try await ClientProcess.withServer { url, client in
            let directory = try Self.definitions()
            #expect(try await Self.coffer(["apply", "-f", directory], url: url).status == 0)
            let bad = directory + "/more/bad.yaml"
            try "name: Bad Priority\nsecretType: environment\npriority: 500\n".write(toFile: bad, atomically: true, encoding: .utf8)
            let failed = try await Self.coffer(["apply", "-f", directory, "--prune"], url: url, password: "s3cret-changed")
            #expect(failed.status == 1 && failed.out.isEmpty)
            #expect(failed.err.hasPrefix("coffer: error: "))
            #expect(failed.err.contains("operations[3].body.priority: "))
            #expect(failed.err.contains("(operations[3] is the definition in \(bad))"))
            #expect(!failed.err.contains("s3cret"))
            #expect(try await Self.groupIds(client) == ["api-config", "build-args", "database"])
            #expect(try await client.get.secret(projectId: "demo", secretId: "database").secrets.variables["DB_PASSWORD"] == "s3cret-one")
            #expect(try await Self.coffer(["diff", "project", "-f", directory], url: url, password: "s3cret-changed").status == 1)
        }
    }
}
