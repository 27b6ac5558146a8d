/// Where a client talks to and how patiently. Printed, dumped or reflected, it shows the token as `****`.
public struct ClientConfiguration: Sendable {
    /// The server's base URL, without `/v1` (`http://127.0.0.1:8080`).
    public var baseURL: String
    /// The bearer token; never logged.
    public var token: String
    /// How long one attempt may take.
    public var timeout: Duration = .seconds(30)
    /// How many times an idempotent call (GET, PUT, DELETE) is retried after a connection error.
    public var retries: Int = 3
    /// Told of every request after its answer (method, URL without query values' secrets, status or nil, duration),
    /// for `--verbose`. Never given the token or a body.
    public var observer: (@Sendable (_ method: String, _ url: String, _ status: Int?, _ duration: Duration) -> Void)?
    /// Sent as `User-Agent`.
    public var userAgent: String = "coffer-swift-client/0.1"

    public init(baseURL: String, token: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }
}

extension ClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The base URL and settings; the token only as `****`, so that logging a configuration never leaks it.
    public var description: String {
        "ClientConfiguration(baseURL: \(baseURL), token: ****, timeout: \(timeout), retries: \(retries), userAgent: \(userAgent))"
    }

    public var debugDescription: String { description }

    /// `dump` and debuggers read a value's children rather than its description: these name the token as `****` too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "token": "****", "timeout": timeout, "retries": retries, "observer": observer == nil ? "nil" : "set",
                "userAgent": userAgent,
            ],
            displayStyle: .struct
        )
    }
}
