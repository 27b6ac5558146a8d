import Testing

@testable import CofferServer

/// Reading `Authorization: Bearer <token>`, which happens on every request.
@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("  Bearer   abc  ", "abc"), ("Bearer \tabc\t", "abc"),
        ("Bearer a b", "a b"), ("Bearer coffer_x-y_z", "coffer_x-y_z"),
    ])
    func tokensAreRead(header: String, token: String) {
        #expect(AuthMiddleware.bearerToken(header) == token)
    }

    @Test(arguments: ["", "Bearer", "Bearer ", "Bearer    ", "Basic abc", "Bearerabc", "Bear abc", "Bearer\tabc", "Béarer abc"])
    func malformedHeadersAreRefused(header: String) {
        #expect(AuthMiddleware.bearerToken(header) == nil)
    }
}
