import ArgumentParser
import CofferServer
import Testing

@testable import coffer

/// `coffer serve` argument parsing and how flags and the environment become a configuration.
@Suite struct ServeCommandTests {
    func parse(_ arguments: [String]) throws -> Serve {
        let command = try Coffer.parseAsRoot(arguments)
        return try #require(command as? Serve)
    }

    @Test func defaultsSuitAFreshMachine() throws {
        let configuration = try parse(["serve"]).serverConfiguration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory == "./coffer-data")
        #expect(configuration.masterKey == .dataDirectory)
        #expect(configuration.adminToken == nil)
        #expect(configuration.synchronous == .full)
    }

    @Test func flagsAreApplied() throws {
        let serve = try parse([
            "serve", "--host", "0.0.0.0", "--port", "9090", "--data-dir", "/var/lib/coffer", "--master-key-file", "/etc/coffer/key",
            "--sync", "normal", "--log-level", "debug",
        ])
        let configuration = serve.serverConfiguration(environment: ["COFFER_MASTER_KEY": "ignored-when-a-file-is-given"])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.dataDirectory == "/var/lib/coffer")
        #expect(configuration.masterKey == .file("/etc/coffer/key"))
        #expect(configuration.synchronous == .normal)
        #expect(serve.logLevel == .debug)
    }

    @Test func environmentSuppliesTheMasterKeyAndAdminToken() throws {
        let configuration = try parse(["serve"]).serverConfiguration(environment: [
            "COFFER_MASTER_KEY": "a2V5", "COFFER_ADMIN_TOKEN": "preset-token",
        ])
        #expect(configuration.masterKey == .text("a2V5"))
        #expect(configuration.adminToken == "preset-token")
        let empty = try parse(["serve"]).serverConfiguration(environment: ["COFFER_MASTER_KEY": "", "COFFER_ADMIN_TOKEN": ""])
        #expect(empty.masterKey == .dataDirectory)
        #expect(empty.adminToken == nil)
    }

    @Test func aDatabaseURLComesFromTheFlagOrTheEnvironment() throws {
        let url = "postgres://coffer:pw@db:5432/coffer?sslmode=verify-full"
        let flagged = try parse(["serve", "--database-url", url, "--database-tls-ca-file", "/etc/ca.pem"])
            .serverConfiguration(environment: ["COFFER_DATABASE_URL": "postgres://ignored@elsewhere/x"])
        #expect(flagged.databaseURL == url)
        #expect(flagged.databaseRootCertificateFile == "/etc/ca.pem")
        #expect(try parse(["serve"]).serverConfiguration(environment: ["COFFER_DATABASE_URL": url]).databaseURL == url)
        #expect(try parse(["serve"]).serverConfiguration(environment: ["COFFER_DATABASE_URL": ""]).databaseURL == nil)
    }

    @Test func aDatabaseURLIsCheckedWithoutEchoingItsPassword() {
        #expect(throws: (any Error).self) { try parse(["serve", "--database-url", "mysql://root:hunter2@db/x"]) }
        #expect(throws: (any Error).self) { try parse(["serve", "--database-url", "postgres://root:hunter2@db/x?sslmode=sometimes"]) }
        do {
            _ = try parse(["serve", "--database-url", "postgres://root:hunter2@db/x?sslmode=sometimes"])
        } catch {
            #expect(!Coffer.message(for: error).contains("hunter2"))
        }
    }

    @Test(arguments: [["serve", "--port", "70000"], ["serve", "--port", "-1"], ["serve", "--sync", "sometimes"], ["serve", "--nope"]])
    func invalidArgumentsAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(arguments) }
    }

    @Test func helpShowsAnExample() {
        let help = Coffer.helpMessage(for: Serve.self)
        #expect(help.contains("coffer serve --port 8080 --data-dir ./coffer-data"))
        #expect(help.contains("--master-key-file"))
    }
}
