import CofferConsole
import CofferCrypto
import Foundation
import HTTPTypes
import Hummingbird

/// The web console's files: `GET /` answers the page and `GET /console/{name}` its modules, style sheet and icon, all
/// compiled into the binary. Every other console address is a `#` fragment the page routes itself, so these two are
/// the only server paths. They need no token (`AuthMiddleware.isConsoleFile`): the files hold no data, and everything
/// the page shows it reads through the `/v1` API with the token its user signs in with.
struct ConsoleController {
    /// The prefix of the console's asset paths; `/` is its page.
    static let prefix = "/console/"

    /// No script, style, image or connection but the server's own, no inline script or style, no plugin, no framing, no
    /// `<base>`, forms posting nowhere else, and (where the browser knows Trusted Types) no HTML parsed from strings: the
    /// page builds every node with `textContent`, so a value shown can never become markup.
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "base-uri 'none'",
        "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'",
    ].joined(separator: "; ")

    /// The answers, prepared once: each file with its headers and an entity tag of its content.
    let files: [String: PreparedAsset]

    init(assets: [ConsoleAsset] = ConsoleAssets.all) {
        files = Dictionary(uniqueKeysWithValues: assets.map { ($0.name, PreparedAsset($0)) })
    }

    func addRoutes(to router: Router<APIContext>) {
        let index = files[ConsoleAssets.index.name]
        // HEAD as GET without the body (uptime checks and `curl -I` ask for the page that way).
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/", method: method) { request, _ in try Self.answer(index, name: "index.html", to: request) }
            router.on("/console/:name", method: method) { request, context in
                let name = try context.parameters.require("name")
                return try Self.answer(files[name], name: name, to: request)
            }
        }
    }

    /// The file, or 304 when the browser's copy is current, or 404 for a name the console does not have; to a HEAD,
    /// the same headers with the body's length and no body.
    static func answer(_ file: PreparedAsset?, name: String, to request: Request) throws -> Response {
        guard let file else { throw APIError(.notFound, "The console has no file '\(name)'") }
        if let tags = request.headers[.ifNoneMatch],
            tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.eTag })
        {
            return Response(status: .notModified, headers: file.headers)
        }
        if request.method == .head {
            var headers = file.headers
            headers[.contentLength] = String(file.body.readableBytes)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: file.headers, body: ResponseBody(byteBuffer: file.body))
    }
}

/// A console file ready to send: its bytes in a buffer and the headers every answer of it carries.
struct PreparedAsset: Sendable {
    let body: ByteBuffer
    let eTag: String
    let headers: HTTPFields

    init(_ asset: ConsoleAsset) {
        body = ByteBuffer(bytes: asset.bytes)
        var digest = ContentDigest()
        digest.add(Data(asset.bytes))
        eTag = "\"\(digest.hex.prefix(32))\""
        headers = [
            .contentType: asset.contentType,
            .eTag: eTag,
            // Revalidated on every load (a cheap 304), so a browser never runs the page of an older server after an upgrade.
            .cacheControl: "no-cache",
            .contentSecurityPolicy: ConsoleController.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
            HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
        ]
    }
}
