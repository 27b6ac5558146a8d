import ArgumentParser
import CofferServer
import Testing

@testable import coffer

/// `coffer serve --keep-changes`, `--max-watchers` and `--stream-stall-timeout`: the change feed's retention, its limit
/// of waiting requests, and how long a stream waits for a client that stopped reading.
@Suite struct ServeChangeFeedFlagsTests {
    func configuration(_ arguments: [String]) throws -> ServerConfiguration {
        try #require(try Coffer.parseAsRoot(["serve"] + arguments) as? Serve).serverConfiguration(environment: [:])
    }

    @Test func defaultsKeepAWeekAndTenThousandWatchers() throws {
        let defaults = try configuration([])
        #expect(defaults.keepChanges == .seconds(7 * 86_400))
        #expect(defaults.maximumWatchers == 10_000)
        #expect(defaults.slowConsumerTimeout == .seconds(30))
    }

    @Test func flagsTakeTheRetentionFormsAndACount() throws {
        for (text, seconds) in [("30d", 30 * 86_400), ("12h", 12 * 3_600), ("90m", 90 * 60), ("3600s", 3_600), ("0s", 0)] {
            #expect(try configuration(["--keep-changes", text]).keepChanges == .seconds(seconds))
        }
        #expect(try configuration(["--max-watchers", "1"]).maximumWatchers == 1)
        #expect(try configuration(["--stream-stall-timeout", "2m"]).slowConsumerTimeout == .seconds(120))
    }

    @Test(arguments: [
        ["--keep-changes", "7"], ["--keep-changes", "1w"], ["--keep-changes", "-1d"], ["--keep-changes", "1.5h"],
        ["--max-watchers", "0"], ["--max-watchers", "-3"], ["--max-watchers", "many"], ["--stream-stall-timeout", "0s"],
        ["--stream-stall-timeout", "30"], ["--metrics-public"],
    ])
    func invalidValuesAreRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try Coffer.parseAsRoot(["serve"] + arguments) }
    }

    @Test func helpNamesBoth() {
        let help = Coffer.helpMessage(for: Serve.self)
        #expect(help.contains("--keep-changes") && help.contains("--max-watchers") && help.contains("--stream-stall-timeout"))
    }
}
