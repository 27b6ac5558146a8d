import ArgumentParser
import Foundation
import Testing

@testable import coffer

/// `deploy/`: the systemd unit's `ExecStart` and the container image's `CMD` are `coffer serve` command lines that the
/// current `coffer serve` accepts, flag for flag, so neither drifts from the flags as they change.
@Suite struct DeployFilesTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy")

    /// The arguments after `coffer serve` in the unit's `ExecStart=` line.
    static func unitArguments() throws -> [String] {
        let unit = try String(contentsOf: deploy.appendingPathComponent("coffer.service"), encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let words = line.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
        #expect(words.prefix(2) == ["/usr/local/bin/coffer", "serve"])
        return Array(words.dropFirst(2))
    }

    /// The arguments after `serve` in the Containerfile's `CMD [...]`, a JSON array.
    static func imageArguments() throws -> [String] {
        let file = try String(contentsOf: deploy.appendingPathComponent("Containerfile"), encoding: .utf8)
        let line = try #require(file.split(separator: "\n").first { $0.hasPrefix("CMD ") })
        let words = try JSONDecoder().decode([String].self, from: Data(line.dropFirst("CMD ".count).utf8))
        #expect(words.first == "serve")
        return Array(words.dropFirst())
    }

    @Test(arguments: ["coffer.service", "Containerfile"])
    func theCommandLineIsOneCofferServeAccepts(file: String) throws {
        let arguments = try file == "coffer.service" ? Self.unitArguments() : Self.imageArguments()
        let help = Coffer.helpMessage(for: Serve.self)
        for flag in arguments where flag.hasPrefix("--") {
            #expect(help.contains(flag + " "), "\(file): \(flag) is not an option of coffer serve")
        }
        // Parsing validates the values too (durations, counts, the port).
        let serve = try #require(try Coffer.parseAsRoot(["serve"] + arguments) as? Serve)
        let configuration = try serve.serverConfiguration(environment: [:])
        #expect(configuration.port == 8080 && configuration.host == "0.0.0.0", "\(file)")
        #expect(configuration.dataDirectory == "/var/lib/coffer", "\(file)")
    }

    @Test func theUnitStopsGracefullyAndKeepsItsStateToItself() throws {
        let unit = try String(contentsOf: Self.deploy.appendingPathComponent("coffer.service"), encoding: .utf8)
        for setting in ["KillSignal=SIGTERM", "StateDirectory=coffer", "StateDirectoryMode=0700", "UMask=0077", "User=coffer", "NoNewPrivileges=yes"] {
            #expect(unit.contains("\n" + setting + "\n"), "\(setting)")
        }
    }
}
