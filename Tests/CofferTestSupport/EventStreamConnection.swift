import Foundation
import Glibc

/// A raw HTTP/1.1 connection reading a `text/event-stream` answer as it arrives (the test clients wait for the end).
public struct EventStreamConnection: Sendable {
    public let socket: Int32
    public private(set) var received = ""

    /// `receiveBuffer` (bytes) set before connecting keeps the kernel from reading far ahead of the test.
    public init(port: Int, path: String, token: String, lastEventID: String?, receiveBuffer: Int32? = nil) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
        request += "Accept: text/event-stream\r\n"
        if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
        request += "\r\n"
        _ = request.withCString { Glibc.send(socket, $0, strlen($0), 0) }
        // Reads never block a thread: the server under test may run on the same few threads as the test.
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
    }

    /// One read: bytes, 0 at the end of the stream, nil when nothing has arrived yet (after a short pause), or -1.
    private func receive(into buffer: inout [UInt8]) async throws -> Int? {
        let count = Glibc.recv(socket, &buffer, buffer.count, 0)
        guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return count }
        try await Task.sleep(for: .milliseconds(5))
        return nil
    }

    /// Reads until `done` holds for everything received (headers included), for at most 10 s.
    public mutating func read(until done: (String) -> Bool) async throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(10)
        while !done(received), ContinuousClock.now < deadline {
            guard let count = try await receive(into: &buffer) else { continue }
            guard count > 0 else { break }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return received
    }

    /// Reads what is left until the server closes the connection (true) or 10 s pass (false).
    public func readToEnd() async throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard let count = try await receive(into: &buffer) else { continue }
            if count == 0 { return true }
            if count < 0 { return false }
        }
        return false
    }

    public func close() {
        Glibc.close(socket)
    }
}
