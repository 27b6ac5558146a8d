import Foundation
import Testing

/// A clone of Coffer carries its own API reference (`docs/API.md`) and example body (`examples/`); where the shared
/// contract they are copied from sits beside the checkout (as it does for Coffer's developers and CI), they must not
/// have drifted from it.
@Suite struct ContractCopyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared/spec")

    static let copies: [(copy: String, original: String)] = [
        ("docs/API.md", "API.md"),
        ("examples/put-secret.request.json", "examples/put-secret.request.json"),
        ("examples/README.md", "examples/README.md"),
    ]

    @Test(
        .enabled(if: FileManager.default.fileExists(atPath: shared.path), "the shared contract is not beside this checkout"),
        arguments: copies.map(\.copy)
    )
    func theCopyIsTheContract(copy: String) throws {
        let original = try #require(Self.copies.first { $0.copy == copy }?.original)
        let ours = try Data(contentsOf: Self.root.appendingPathComponent(copy))
        let theirs = try Data(contentsOf: Self.shared.appendingPathComponent(original))
        #expect(ours == theirs, "\(copy) differs from shared/spec/\(original): copy it again")
    }

    @Test func theReadmeSendsNewcomersToTheCopies() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!readme.contains("../shared/"), "a user's clone has no ../shared")
        #expect(readme.contains("examples/put-secret.request.json") && readme.contains("docs/API.md"))
    }
}
