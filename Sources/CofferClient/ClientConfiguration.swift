/// Where a client talks to and how patiently.
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
