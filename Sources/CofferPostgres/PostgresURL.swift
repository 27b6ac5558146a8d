import CofferStore
import Foundation
import PostgresNIO

/// Where a PostgreSQL database is and how to reach it, read from a libpq-style URL
/// (`postgres://user:password@host:5432/database?sslmode=verify-full&sslrootcert=/path/ca.pem`). Its description never
/// shows the password.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying the certificate (libpq's default).
        case prefer
        /// TLS always, without verifying the certificate.
        case require
        /// TLS always; the certificate must chain to the trusted roots.
        case verifyCA = "verify-ca"
        /// TLS always; the certificate must chain to the trusted roots and name the host.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var tlsMode: TLSMode
    /// PEM file of the roots that verify the server's certificate (`sslrootcert`); nil means the system's roots.
    public var rootCertificateFile: String?

    /// Parses `text`; `invalidConfiguration` names what is wrong without echoing the URL (it may hold a password).
    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw StoreError(.invalidConfiguration, "The database URL must look like postgres://user@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.invalidConfiguration, "The database URL names no host")
        }
        self.host = host
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path.removingPercentEncoding
        tlsMode = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw StoreError(
                        .invalidConfiguration,
                        "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                tlsMode = mode
            case "sslrootcert":
                rootCertificateFile = item.value
            default:
                throw StoreError(.invalidConfiguration, "The database URL has an unsupported parameter '\(item.name)'")
            }
        }
    }

    public var description: String {
        let credentials = username + (password == nil ? "" : ":****")
        return "postgres://\(credentials)@\(host):\(port)/\(database ?? "")?sslmode=\(tlsMode.rawValue)"
    }

    /// The client configuration for this URL: TLS per `tlsMode`, trusting `rootCertificateFile` when given.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let tls = tlsConfiguration
        let mode: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(tls)
            case .require, .verifyCA, .verifyFull: .require(tls)
            }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: mode
        )
        // An unreachable host should fail a connection attempt in seconds, not the driver's default ten.
        configuration.options.connectTimeout = Self.connectTimeout
        return configuration
    }

    /// How long one connection attempt may take.
    package static let connectTimeout = Duration.seconds(3)

    /// TLS as `tlsMode` and `rootCertificateFile` ask.
    private var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificateFile { tls.trustRoots = .file(rootCertificateFile) }
        switch tlsMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    /// Connects once, outside any pool, and disconnects: for a start-up that should stop at once, saying why, when the
    /// database cannot be reached, where a pool retries behind its lease timeout and names no cause. Throws
    /// `unavailable` whose message names the host, port and the driver's code, never the password.
    public func checkReachable(logger: Logger) async throws {
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch tlsMode {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
                case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
                }
            var configuration = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls
            )
            let (seconds, attoseconds) = Self.connectTimeout.components
            configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw StoreError(.unavailable, "Cannot reach the PostgreSQL database at \(host):\(port): \(PostgresStore.connectionFailure(error))")
        }
    }
}
