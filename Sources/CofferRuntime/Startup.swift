import CofferCore
import CofferCrypto
import CofferServer
import CofferSQLite
import CofferStore
import Foundation

/// Everything `coffer serve` prepares before it listens: the data directory, the master key, the opened store and,
/// on an empty store, the default team with its admin token.
public struct Startup: Sendable {
    public let dataDirectory: DataDirectory
    public let store: SQLiteStore
    /// True when the master key was generated into the data directory on this start.
    public let generatedMasterKey: Bool
    /// The admin token text when this start generated it; shown once, never stored.
    public let generatedAdminToken: String?
    /// One line for the log when this start finished a key rotation that had stopped midway.
    public let finishedRotation: String?

    public static func open(_ configuration: ServerConfiguration) async throws -> Startup {
        let directory = try DataDirectory(path: configuration.dataDirectory)
        let (keyring, reload, generated) = try directory.keyring(from: configuration.masterKey)
        let store = try SQLiteStore(path: directory.databasePath, keyring: keyring, synchronous: configuration.synchronous, reload: reload)
        let finished = try await finishInterruptedRotations(store)
        let adminToken = try await bootstrap(store, presetAdminToken: configuration.adminToken)
        return Startup(
            dataDirectory: directory,
            store: store,
            generatedMasterKey: generated,
            generatedAdminToken: adminToken,
            finishedRotation: finished
        )
    }

    /// Finishes, in the database, a master key or data key rotation that was killed midway: data keys not under the
    /// primary are re-wrapped, values under older generations re-sealed. The key file is left to `coffer keys rotate`.
    package static func finishInterruptedRotations(_ store: SQLiteStore) async throws -> String? {
        let rewrap = try await store.rewrapDataKeys()
        let reseal = try await store.finishDataKeyRotations()
        guard !rewrap.didNothing || !reseal.isEmpty else { return nil }
        let resealed = reseal.reduce(0) { $0 + $1.resealed }
        return "Finished an interrupted key rotation: \(rewrap.rewrapped) data keys re-wrapped under master key \(rewrap.primaryKeyID), "
            + "\(resealed) values in \(reseal.count) projects re-sealed under their current data key"
    }

    /// On an empty store, creates the default team and an admin token (the preset one if given); returns a generated
    /// token's text. A store that already has a team is left alone.
    public static func bootstrap(_ store: any SecretStore, presetAdminToken: String?) async throws -> String? {
        guard try await store.isEmpty() else { return nil }
        if let preset = presetAdminToken, preset.count < TokenSecret.minimumLength {
            throw StartupError("COFFER_ADMIN_TOKEN must be at least \(TokenSecret.minimumLength) characters long")
        }
        let tokenText = presetAdminToken ?? TokenSecret.generate()
        let now = Timestamp.now()
        let team = Team(id: Team.defaultTeamID, name: "Default", createdAt: now)
        let token = Token(
            id: "admin-\(UUID().uuidString.lowercased().prefix(8))",
            teamId: team.id,
            name: "bootstrap admin",
            secretHash: TokenSecret.hash(tokenText),
            roleName: Role.admin.name,
            createdAt: now
        )
        try await store.bootstrap(team: team, token: token)
        return presetAdminToken == nil ? tokenText : nil
    }
}
