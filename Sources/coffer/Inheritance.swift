import Foundation

/// What coffer itself inherited from whoever started it: its open file descriptors and whether SIGPIPE was ignored.
/// Noted before the HTTP client opens descriptors of its own (NIO's event loops and connections are not marked
/// close-on-exec) and ignores SIGPIPE, so that `coffer run` hands its command what coffer got (a listening socket
/// from systemd, say) and nothing of coffer's.
struct Inheritance: Sendable {
    let descriptors: Set<Int32>
    let ignoresBrokenPipes: Bool

    /// The process's state now; call before anything opens descriptors or changes signal handling.
    static func current() -> Inheritance {
        Inheritance(descriptors: openDescriptors(), ignoresBrokenPipes: isIgnored(SIGPIPE))
    }

    /// Marks every open descriptor that was not inherited close-on-exec (harmless to coffer, which does not exec).
    func closeOthersOnExec() {
        for descriptor in Self.openDescriptors().subtracting(descriptors) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// The numbers listed in `/proc/self/fd` (`/dev/fd` elsewhere), less the listing's own descriptor.
    static func openDescriptors() -> Set<Int32> {
        #if os(Linux)
        let listing = "/proc/self/fd"
        #else
        let listing = "/dev/fd"
        #endif
        guard let directory = opendir(listing) else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var descriptors: Set<Int32> = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if let descriptor = Int32(name), descriptor != own { descriptors.insert(descriptor) }
        }
        return descriptors
    }

    /// Whether `signal` is ignored; asked by setting and restoring its handler, as C offers no plain query.
    static func isIgnored(_ number: Int32) -> Bool {
        let previous = signal(number, SIG_DFL)
        _ = signal(number, previous)
        return isIgnoreHandler(previous)
    }

    /// Whether a handler is SIG_IGN, the value 1 (Swift cannot compare C function pointers with `==`).
    static func isIgnoreHandler(_ handler: (@convention(c) (Int32) -> Void)?) -> Bool {
        unsafeBitCast(handler, to: Int.self) == 1
    }
}
