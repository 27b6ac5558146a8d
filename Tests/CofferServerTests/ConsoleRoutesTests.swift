import CofferConsole
import CofferServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /` and `GET /console/{name}`: the web console's files, open without a token, under a strict CSP.
@Suite struct ConsoleRoutesTests {
    @Test func everyFileIsServedWithoutATokenWithItsTypeAndTheSecurityHeaders() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            for asset in ConsoleAssets.all {
                let response = try await client.execute(uri: "/console/\(asset.name)", method: .get)
                #expect(response.status == .ok, "\(asset.name)")
                #expect(response.headers[.contentType] == asset.contentType)
                #expect(Array(response.body.readableBytesView) == asset.bytes)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                let directives = [
                    "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                ]
                for directive in directives {
                    #expect(policy.contains(directive), "\(directive) in \(policy)")
                }
                #expect(!policy.contains("unsafe"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.cacheControl] == "no-cache")
            }
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text == String(decoding: ConsoleAssets.index.bytes, as: UTF8.self))
        }
    }

    @Test func aCurrentCopyIsRevalidatedWithA304() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let first = try await client.execute(uri: "/console/app.js", method: .get)
            let tag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/console/app.js", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.contentSecurityPolicy] != nil)
            let stale = try await client.execute(uri: "/console/app.js", method: .get, headers: [.ifNoneMatch: "\"0\""])
            #expect(stale.status == .ok)
        }
    }

    @Test func headAnswersTheHeadersAndLengthOfGetWithoutTheBody() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            for uri in ["/", "/console/app.js"] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(head.status == .ok, "\(uri)")
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[.contentLength] == String(get.body.readableBytes))
                #expect(head.headers[.eTag] == get.headers[.eTag] && head.headers[.contentSecurityPolicy] == get.headers[.contentSecurityPolicy])
            }
            #expect(try await client.execute(uri: "/console/missing.js", method: .head).status == .notFound)
        }
    }

    @Test func unknownFilesAre404AndTheOpenPrefixOpensNothingElse() async throws {
        let fixture = try await ServerFixture.memory()
        try await fixture.application().test(.router) { client in
            let missing = try await client.execute(uri: "/console/missing.js", method: .get)
            #expect(missing.status == .notFound)
            #expect(try missing.error["message"] as? String == "The console has no file 'missing.js'")
            // Only one segment under the prefix is open: nothing reaches the API that way without a token.
            for uri in ["/console/../v1/projects", "/console/x/../../v1/projects", "/console/a/b"] {
                #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized, "\(uri)")
            }
            #expect(try await client.execute(uri: "/v1/projects", method: .get).status == .unauthorized)
        }
    }

    /// Nothing is loaded from elsewhere: no asset names another origin (the SVG's XML namespace is a name, not a
    /// load), and the page has no inline script or style for the CSP to refuse.
    @Test func noFileRefersToAnotherOriginOrCarriesInlineCode() throws {
        for asset in ConsoleAssets.all {
            let text = String(decoding: asset.bytes, as: UTF8.self).replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(asset.name)")
            #expect(!text.contains("innerHTML") && !text.contains("outerHTML") && !text.contains("insertAdjacentHTML"), "\(asset.name)")
            #expect(!text.contains("eval(") && !text.contains("new Function"), "\(asset.name)")
        }
        let page = String(decoding: ConsoleAssets.index.bytes, as: UTF8.self)
        #expect(!page.contains("style=") && !page.contains("<style") && !page.contains(" on"), "inline style or handler in index.html")
        #expect(page.components(separatedBy: "<script").count == 2 && page.contains("<script type=\"module\" src=\"/console/app.js\"></script>"))
    }

    /// Every module a module imports, and every file the page links, is one the server has: SwiftPM embeds only what
    /// `ConsoleAssets.all` names, so a file added without its line there would be a 404 in the browser.
    @Test func everyReferencedFileIsListed() throws {
        let names = Set(ConsoleAssets.all.map(\.name))
        let reference = try Regex(#"(?:from '\./([A-Za-z0-9.-]+)'|/console/([A-Za-z0-9.-]+))"#)
        for asset in ConsoleAssets.all {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            for match in text.matches(of: reference) {
                let name = String(match.output[1].substring ?? match.output[2].substring ?? "")
                #expect(names.contains(name), "\(asset.name) refers to \(name), which ConsoleAssets.all does not list")
            }
        }
    }
}
