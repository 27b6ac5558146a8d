import Foundation
import Testing

@testable import CofferClient

/// What the client prints of its configuration holds no token.
@Suite struct ClientRedactionTests {
    static let token = "coffer_redaction-test-token-0123456789abcdefghij"

    @Test func aConfigurationPrintsItsTokenRedactedHoweverItIsPrinted() {
        var configuration = ClientConfiguration(baseURL: "http://127.0.0.1:8080/", token: Self.token)
        configuration.retries = 5
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains(Self.token), "\(text)")
            #expect(!text.contains("redaction-test"), "\(text)")
            #expect(text.contains("****"), "\(text)")
            #expect(text.contains("http://127.0.0.1:8080"), "\(text)")
        }
        #expect("\(configuration)".contains("retries: 5"))
    }
}
