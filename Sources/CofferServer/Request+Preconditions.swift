import CofferCore
import Hummingbird

extension Request {
    /// The group version an `If-Match` header demands (`"3"` or `W/"3"`), nil without the header; a header that
    /// names no version of ours can never match, so it is 412 at once.
    func expectedVersion() throws -> Int? {
        guard let header = headers[.ifMatch] else { return nil }
        guard let version = ChangeSetOperation.version(inEntityTag: header) else {
            throw APIError(.preconditionFailed, "If-Match does not match the current version; nothing was changed")
        }
        return version
    }
}
