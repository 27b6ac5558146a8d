/// One file of the web console as the server sends it: where it lives under the console's prefix, its media type and
/// its bytes, compiled into the binary so that `coffer serve` needs no file on disk and serves what it was built with.
public struct ConsoleAsset: Sendable {
    /// The file's name under `/console/` (`app.js`); `index.html` is also the page at `/`.
    public let name: String
    /// The `Content-Type` to answer with; the browser must not guess it (the server sends `nosniff`).
    public let contentType: String
    public let bytes: [UInt8]
}

/// The web console: a static page and its ES modules and style sheet, which call the same `/v1` API as any client.
///
/// SwiftPM's `embedInCode` names each file's bytes after its file name (`page-group.js` becomes `page_group_js`) and
/// does not keep folders, so the files live in one flat folder and each is listed here by hand: a file added to
/// `Assets/` is served only once it is named below (the console's route tests check every module the page imports is).
public enum ConsoleAssets {
    /// The page every console address starts from.
    public static let index = ConsoleAsset(name: "index.html", contentType: html, bytes: PackageResources.index_html)

    /// Every file, the page included.
    public static let all: [ConsoleAsset] = [
        index,
        ConsoleAsset(name: "console.css", contentType: css, bytes: PackageResources.console_css),
        ConsoleAsset(name: "icon.svg", contentType: "image/svg+xml", bytes: PackageResources.icon_svg),
        ConsoleAsset(name: "app.js", contentType: javaScript, bytes: PackageResources.app_js),
        ConsoleAsset(name: "api.js", contentType: javaScript, bytes: PackageResources.api_js),
        ConsoleAsset(name: "dom.js", contentType: javaScript, bytes: PackageResources.dom_js),
        ConsoleAsset(name: "dialog.js", contentType: javaScript, bytes: PackageResources.dialog_js),
        ConsoleAsset(name: "dotenv.js", contentType: javaScript, bytes: PackageResources.dotenv_js),
        ConsoleAsset(name: "errors.js", contentType: javaScript, bytes: PackageResources.errors_js),
        ConsoleAsset(name: "values.js", contentType: javaScript, bytes: PackageResources.values_js),
        ConsoleAsset(name: "page-signin.js", contentType: javaScript, bytes: PackageResources.page_signin_js),
        ConsoleAsset(name: "page-projects.js", contentType: javaScript, bytes: PackageResources.page_projects_js),
        ConsoleAsset(name: "page-groups.js", contentType: javaScript, bytes: PackageResources.page_groups_js),
        ConsoleAsset(name: "page-group.js", contentType: javaScript, bytes: PackageResources.page_group_js),
        ConsoleAsset(name: "page-editor.js", contentType: javaScript, bytes: PackageResources.page_editor_js),
        ConsoleAsset(name: "page-editor-keys.js", contentType: javaScript, bytes: PackageResources.page_editor_keys_js),
        ConsoleAsset(name: "page-history.js", contentType: javaScript, bytes: PackageResources.page_history_js),
        ConsoleAsset(name: "page-workloads.js", contentType: javaScript, bytes: PackageResources.page_workloads_js),
        ConsoleAsset(name: "page-audit.js", contentType: javaScript, bytes: PackageResources.page_audit_js),
        ConsoleAsset(name: "page-tokens.js", contentType: javaScript, bytes: PackageResources.page_tokens_js),
    ]

    static let html = "text/html; charset=utf-8"
    static let css = "text/css; charset=utf-8"
    static let javaScript = "text/javascript; charset=utf-8"
}
