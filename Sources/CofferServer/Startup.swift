import CofferCore
import CofferCrypto
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

    public static func open(_ configuration: ServerConfiguration) async throws -> Startup {
        let directory = try DataDirectory(path: configuration.dataDirectory)
        let (masterKey, generated) = try directory.masterKey(from: configuration.masterKey)
        let store = try SQLiteStore(path: directory.databasePath, masterKey: masterKey, synchronous: configuration.synchronous)
        let adminToken = try await bootstrap(store, presetAdminToken: configuration.adminToken)
        return Startup(dataDirectory: directory, store: store, generatedMasterKey: generated, generatedAdminToken: adminToken)
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
