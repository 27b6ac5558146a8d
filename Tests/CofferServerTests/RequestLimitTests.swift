import CofferCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CofferServer

/// Rate limiting per token, and the limits on a request's head.
@Suite struct RequestLimitTests {
    @Test(arguments: [
        ("600/min", RateLimit(requests: 600, window: 60)), ("5/s", RateLimit(requests: 5, window: 1)),
        ("1000/h", RateLimit(requests: 1000, window: 3600)),
    ])
    func rateLimitsParse(text: String, limit: RateLimit) {
        #expect(RateLimit(text) == limit)
    }

    @Test(arguments: ["", "600", "0/min", "-1/min", "10/day", "x/min", "10/"])
    func malformedRateLimitsAreRefused(text: String) {
        #expect(RateLimit(text) == nil)
    }

    @Test func theLimiterCountsPerKeyAndResetsWithTheWindow() {
        let limiter = RateLimiter(limit: RateLimit(requests: 2, window: 60))
        #expect(limiter.admit("a", now: 0) == .init(allowed: true, limit: 2, remaining: 1, resetSeconds: 60))
        #expect(limiter.admit("a", now: 10) == .init(allowed: true, limit: 2, remaining: 0, resetSeconds: 50))
        #expect(limiter.admit("a", now: 59.5) == .init(allowed: false, limit: 2, remaining: 0, resetSeconds: 1))
        #expect(limiter.admit("b", now: 59.5).allowed)
        #expect(limiter.admit("a", now: 60) == .init(allowed: true, limit: 2, remaining: 1, resetSeconds: 60))
    }

    @Test func pastTheLimitATokenGets429WithHeadersWhileOtherTokensAndHealthAreUnaffected() async throws {
        var fixture = try await ServerFixture.memory()
        fixture.configuration.rateLimit = RateLimit(requests: 3, window: 3600)
        let other = try await TokenIssuer(store: fixture.store).issue(TokenDefinition(name: "other", role: .viewer), team: "default", at: .now())
        try await fixture.application().test(.router) { client in
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await client.send(.get, "/v1/projects")
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("x-ratelimit-limit")!] == "3")
                remaining.append(response.headers[HTTPField.Name("x-ratelimit-remaining")!])
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await client.send(.get, "/v1/projects")
            #expect(refused.status == .tooManyRequests)
            #expect(try refused.error["status"] as? Int == 429)
            #expect((try refused.error["message"] as? String)?.hasPrefix("Rate limit exceeded: this token may make 3/h requests") == true)
            let reset = Int(refused.headers[HTTPField.Name("x-ratelimit-reset")!] ?? "")
            #expect(reset.map { (3500...3600).contains($0) } == true)
            #expect(refused.headers[.retryAfter] == refused.headers[HTTPField.Name("x-ratelimit-reset")!])

            let notFound = try await client.send(.get, "/v1/projects/ghost", headers: TokenRoutesTests.bearer(other.secret))
            #expect(notFound.status == .notFound)
            #expect(notFound.headers[HTTPField.Name("x-ratelimit-remaining")!] == "2")
            #expect(try await client.send(.get, "/v1/health", headers: [:]).status == .ok)
        }
    }

    @Test func withoutARateLimitThereAreNoRateLimitHeaders() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let response = try await client.send(.get, "/v1/projects")
            #expect(response.headers[HTTPField.Name("x-ratelimit-limit")!] == nil)
        }
    }

    @Test func oversizedTargetsAndHeadersAreRefusedWithTheEnvelope() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.live) { client in
            let longTarget = try await client.send(.get, "/v1/projects?filler=" + String(repeating: "a", count: 9000))
            #expect(longTarget.status == .uriTooLong)
            #expect(try longTarget.error["message"] as? String == "The request target is longer than 8192 bytes")

            var headers = HTTPFields.admin
            headers[HTTPField.Name("X-Filler")!] = String(repeating: "b", count: 40_000)
            let bigHeaders = try await client.send(.get, "/v1/projects", headers: headers)
            #expect(bigHeaders.status == .requestHeaderFieldsTooLarge)
            #expect(try bigHeaders.error["message"] as? String == "The request's header fields are larger than 32768 bytes in total")
            #expect(try await client.send(.get, "/v1/projects").status == .ok)
        }
    }
}
