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
            abstract: "Bring back a deleted resource, or a whole project as it was at a moment.",
            subcommands: [HistoryCommands.Restore.self, HistoryCommands.RestoreProject.self]
        )
    }
}
