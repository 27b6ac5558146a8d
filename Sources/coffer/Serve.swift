import ArgumentParser
import CofferServer
import Foundation
import Hummingbird
import Logging

/// `coffer serve`: runs the API server on an embedded SQLite store.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Coffer API server on an embedded, encrypted SQLite store.",
        discussion: """
            On an empty data directory the server creates the default team and an admin token, taken from \
            COFFER_ADMIN_TOKEN or generated and printed once to standard output. The master key comes from \
            --master-key-file or COFFER_MASTER_KEY (base64 of 32 bytes; a file may list several keys, one per line, \
            the first wrapping new data; see 'coffer keys rotate'); without either, one is generated into \
            the data directory (mode 0600) with a warning. SIGINT or SIGTERM stop it gracefully.

            Example:
              coffer serve --port 8080 --data-dir ./coffer-data
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .customLong("data-dir"), help: "Directory for the database (and a generated master key); created if missing.")
    var dataDirectory = "./coffer-data"

    @Option(name: .customLong("master-key-file"), help: "File holding the master key as base64 of 32 bytes.")
    var masterKeyFile: String?

    @Option(
        help:
            "Durability of commits: 'full' fsyncs every commit (default); 'normal' only at checkpoints, which can lose the last commits on power loss."
    )
    var sync: SyncMode = .full

    @Option(
        name: .customLong("rate-limit"),
        help: "Requests each token may make, as N/s, N/min or N/h (default: no limit). Past it: 429 and x-ratelimit-* headers."
    )
    var rateLimit: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    enum SyncMode: String, ExpressibleByArgument, CaseIterable {
        case full
        case normal
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let rateLimit, RateLimit(rateLimit) == nil {
            throw ValidationError("--rate-limit must be a count per s, min or h, such as 600/min")
        }
    }

    /// The configuration these flags and `environment` describe.
    func serverConfiguration(environment: [String: String]) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = dataDirectory
        if let masterKeyFile {
            configuration.masterKey = .file(masterKeyFile)
        } else if let text = environment["COFFER_MASTER_KEY"], !text.isEmpty {
            configuration.masterKey = .text(text)
        }
        configuration.adminToken = environment["COFFER_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.synchronous = sync == .full ? .full : .normal
        configuration.rateLimit = rateLimit.flatMap(RateLimit.init)
        return configuration
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "coffer")
        let configuration = serverConfiguration(environment: ProcessInfo.processInfo.environment)
        let startup: Startup
        do {
            startup = try await Startup.open(configuration)
        } catch {
            FileHandle.standardError.write(Data("coffer: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if startup.generatedMasterKey {
            logger.warning(
                "Generated a new master key in \(startup.dataDirectory.generatedMasterKeyPath); keep a copy elsewhere, without it the data cannot be read"
            )
        }
        if let finished = startup.finishedRotation {
            logger.notice("\(finished)")
        }
        if let token = startup.generatedAdminToken {
            logger.notice("Created the default team and an admin token; it is printed once on standard output and never again")
            print(token)
            fflush(nil)  // flush every stream: the token must reach a pipe before the server blocks
        }
        let dataPath = startup.dataDirectory.path
        // Hummingbird announces its own listening line at info; ours says more, so by default theirs is left out.
        var serverLogger = logger
        serverLogger.logLevel = logLevel == .info ? .notice : logLevel
        let app = buildApplication(configuration: configuration, store: startup.store, logger: serverLogger) { host, port in
            logger.info("Coffer listening on http://\(host):\(port), data in \(dataPath) (sqlite)")
        }
        try await app.runService()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
