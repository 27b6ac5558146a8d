import ArgumentParser
import CofferAPI
import CofferClient
import CofferCore
import CofferCrypto
import CofferStore
import Foundation

/// `coffer audit list` (through the API) and `coffer audit verify` (on the server's store).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log, or verify its hash chain.",
        subcommands: [List.self, Verify.self]
    )

    struct List: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit entries, oldest first: who changed what, when and through which route (never values).",
            discussion: """
                Without --projectId, lists the whole team's log (token changes included).

                Example:
                  coffer audit list --projectId demo --resource-type secret --since 2026-11-01T00:00:00.000Z
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Option(name: .customLong("projectId"), help: "The project (default: the whole team).")
        var projectId: String?

        @Option(help: "Only changes by this token id.")
        var actor: String?

        @Option(help: "Only this action: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).")
        var action: String?

        @Option(name: .customLong("resource-type"), help: "Only this kind: \(AuditResourceType.allCases.map(\.rawValue).joined(separator: ", ")).")
        var resourceType: String?

        @Option(name: .customLong("resource-id"), help: "Only this resource id.")
        var resourceId: String?

        @Option(help: "Only entries at or after this RFC 3339 time.")
        var since: String?

        @Option(help: "Only entries before this RFC 3339 time.")
        var until: String?

        func run(with client: APIClient) async throws {
            let filters = [
                ("actor", actor), ("action", action), ("resourceType", resourceType), ("resourceId", resourceId), ("since", since),
                ("until", until),
            ].compactMap { name, value in value.map { (name, $0) } }
            let entries = try await client.list.audit(projectId: projectId, teamId: connection.teamId, filters: filters)
            try show(AuditEntryList(entries: entries))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the audit log's hash chain on the server's store; exit 1 naming the first edited, removed or reordered entry.",
            discussion: """
                Prints the number of entries and the hash of the last one; keep that somewhere else to detect a log cut \
                short after it (a chain cannot tell on its own that its tail was removed).

                Example:
                  coffer audit verify --data-dir ./coffer-data
                  coffer audit verify --database-url postgres://coffer@db:5432/coffer --master-key-file key
                """
        )

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reportingStoreFailures {
                let verifier = try await store.withStore { store in
                    var verifier = AuditChain.Verifier()
                    var after: Int64 = 0
                    while true {
                        let page = try await store.auditEntries(AuditQuery(after: after, limit: 1000))
                        guard let last = page.last else { break }
                        do {
                            try verifier.check(page)
                        } catch {
                            fail("the audit log is broken: \(error)")
                        }
                        after = last.sequence
                    }
                    return verifier
                }
                let head = verifier.head.lowercaseHex
                print("Audit log intact: \(verifier.count) entries; last hash \(head)")
            }
        }
    }
}
