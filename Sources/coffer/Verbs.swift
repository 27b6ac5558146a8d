import ArgumentParser

/// The reference CLI's verbs, each holding the resources it applies to (`coffer put secret`, `coffer get service`).
enum Verbs {
    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a resource.",
            subcommands: [SecretCommands.Put.self]
        )
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a resource.",
            subcommands: [
                ProjectCommands.Create.self, SecretCommands.Create.self, AddonCommands<RegularAddon>.Create.self,
                AddonCommands<ExternalAddon>.Create.self, WorkloadCommands<ServiceKind>.Create.self, WorkloadCommands<JobKind>.Create.self,
            ]
        )
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a resource.",
            subcommands: [
                ProjectCommands.Get.self, SecretCommands.Get.self, SecretLinkCommands.Get.self, AddonCommands<RegularAddon>.Get.self,
                AddonCommands<ExternalAddon>.Get.self, WorkloadCommands<ServiceKind>.Get.self, WorkloadCommands<JobKind>.Get.self,
            ]
        )
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List resources.",
            subcommands: [
                ProjectCommands.List.self, SecretCommands.List.self, AddonCommands<RegularAddon>.List.self,
                AddonCommands<ExternalAddon>.List.self, WorkloadCommands<ServiceKind>.List.self, WorkloadCommands<JobKind>.List.self,
            ]
        )
    }

    struct Patch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change some fields of a resource.",
            subcommands: [
                SecretCommands.Patch.self, AddonCommands<RegularAddon>.Patch.self, AddonCommands<ExternalAddon>.Patch.self,
                WorkloadCommands<ServiceKind>.Patch.self, WorkloadCommands<JobKind>.Patch.self,
            ]
        )
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Update a resource.",
            subcommands: [
                SecretCommands.Update.self, SecretLinkCommands.Update.self, WorkloadCommands<ServiceKind>.Update.self,
                WorkloadCommands<JobKind>.Update.self,
            ]
        )
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a resource.",
            subcommands: [
                ProjectCommands.Delete.self, SecretCommands.Delete.self, SecretLinkCommands.Delete.self, AddonCommands<RegularAddon>.Delete.self,
                AddonCommands<ExternalAddon>.Delete.self, WorkloadCommands<ServiceKind>.Delete.self, WorkloadCommands<JobKind>.Delete.self,
            ]
        )
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a resource's recorded versions.",
            subcommands: [HistoryCommands.History.self]
        )
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what differs: two versions of a secret, or a project and its definition files.",
            subcommands: [HistoryCommands.Diff.self, ApplyCommand.DiffProject.self]
        )
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a resource back as it was at an earlier version.",
            subcommands: [HistoryCommands.Rollback.self]
        )
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring back a deleted resource, a whole project as it was at a moment, or a whole store from a backup.",
            usage: """
                coffer restore --from <file> (--data-dir <dir> | --database-url <url>) [--master-key-file <file>]
                  coffer restore secret --projectId <id> --secretId <id>
                  coffer restore project --projectId <id> --as-of <time> [--dry-run]
                """,
            discussion: """
                With --from, brings a file 'coffer backup' wrote into an empty store of either kind: a data directory \
                (made if missing) or a PostgreSQL database. The file is checked whole first (checksum, header, every \
                table's digest) and the master key must open its data keys; a corrupted or truncated file, a wrong key \
                or a store that holds data is refused with nothing changed. The backup holds no key: give the key of the \
                store it was taken from (--master-key-file, COFFER_MASTER_KEY, or DATA_DIR/master.key). All rows go in \
                in one transaction that reads every table back and commits only if each count and SHA-256 matches the \
                file's; then every record is read with its values opened. Prints each kind's count and digest on both \
                sides and exits 1 if anything differs.

                Example:
                  coffer restore --from coffer.backup --data-dir ./coffer-data --master-key-file ./master.key
                """,
            subcommands: [HistoryCommands.Restore.self, HistoryCommands.RestoreProject.self]
        )

        @OptionGroup(title: "Restore a backup (coffer restore --from)") var backup: RestoreFromBackup

        func run() async throws {
            guard backup.file != nil else { throw CleanExit.helpRequest(self) }
            try await backup.run()
        }
    }
}
