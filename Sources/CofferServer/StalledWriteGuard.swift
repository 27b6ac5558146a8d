/// Bounds how long a write to a client may wait for the client to read: past `timeout`, `onStall` runs (closing the
/// connection, which fails the waiting write). Nothing is buffered meanwhile: the write itself is what waits.
struct StalledWriteGuard: Sendable {
    let timeout: Duration
    let onStall: @Sendable () -> Void

    func run<Result>(_ write: () async throws -> Result) async throws -> Result {
        let alarm = Task { [timeout, onStall] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            onStall()
        }
        defer { alarm.cancel() }
        return try await write()
    }
}
