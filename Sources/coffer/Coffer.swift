import ArgumentParser

/// The `coffer` command: the server, and the client verbs that drive one.
@main
struct Coffer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coffer",
        abstract: "A self-hosted secret-group service with a Northflank-compatible API.",
        discussion: """
            Run a server with 'coffer serve'; drive it with the resource verbs, as Northflank's CLI does:
              coffer login --url http://127.0.0.1:8080 --token coffer_...
              coffer put secret --projectId demo -f put-secret.request.json
              coffer get secret --projectId demo --secretId example-secret -o yaml
            Keep a project's groups in files and make the project match them in one change set with \
            'coffer apply --projectId demo -f groups/' ('--dry-run' or 'coffer diff project' to see the plan first).
            Follow a project's changes with 'coffer watch --projectId demo'; restart a command whenever its \
            environment changes with 'coffer run --watch'.
            Rotate keys with 'coffer keys rotate' and 'coffer keys rotate-data-keys'; move to PostgreSQL with 'coffer migrate'; \
            take a backup with 'coffer backup --to FILE' and bring it back with 'coffer restore --from FILE'.
            """,
        version: "0.1.0",
        subcommands: [
            Serve.self, Login.self, ContextCommand.self, Verbs.Put.self, Verbs.Create.self, Verbs.Get.self, Verbs.List.self,
            Verbs.Patch.self, Verbs.Update.self, Verbs.Delete.self, Verbs.History.self, Verbs.Diff.self, Verbs.Rollback.self,
            Verbs.Restore.self, ApplyCommand.self, RunCommand.self, WatchCommand.self, ExportCommand.self, ImportCommand.self, TokenCommand.self,
            AuditCommand.self, KeysCommand.self, MigrateCommand.self, BackupCommand.self,
        ]
    )
}
