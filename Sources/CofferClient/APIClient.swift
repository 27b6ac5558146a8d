import AsyncHTTPClient
import CofferAPI
import Foundation
import NIOCore
import NIOHTTP1

/// A client of Coffer's API (and Northflank's, where they agree), grouped as the reference clients are:
/// `client.put.secret(projectId:data:)`, `client.get.secret(...)`, `client.list.secrets(...)`.
public struct APIClient: Sendable {
    public let configuration: ClientConfiguration
    let httpClient: HTTPClient

    public init(configuration: ClientConfiguration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// This client for calls that retry by themselves (watches): with the shared HTTP client, one whose pool gives up
    /// on a refused connection at once, where the shared one's keeps retrying it until the request's deadline (which
    /// for a long poll is long, so a server coming back would be noticed late). A client given explicitly is kept.
    var watching: APIClient {
        guard httpClient === HTTPClient.shared else { return self }
        return APIClient(configuration: configuration, httpClient: failingFastHTTPClient)
    }

    public var put: Put { Put(client: self) }
    public var create: Create { Create(client: self) }
    public var get: Get { Get(client: self) }
    public var list: List { List(client: self) }
    public var patch: Patch { Patch(client: self) }
    public var update: Update { Update(client: self) }
    public var delete: Delete { Delete(client: self) }
    public var rollback: Rollback { Rollback(client: self) }
    public var restore: Restore { Restore(client: self) }
    public var watch: Watch { Watch(client: self) }

    /// Sends one request and returns the body of a 2xx answer; throws `APIClientError` for an error answer and
    /// `TransportError` when the server cannot be reached. GET, PUT and DELETE are retried on connection errors.
    /// `headers` are sent as given (`If-Match`, say).
    func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        headers: [(String, String)] = [],
        body: JSONBody? = nil
    ) async throws -> (Data, HTTPHeaders) {
        let answer = try await exchange(method, path, query: query, headers: headers, body: body)
        return (answer.body, answer.headers)
    }

    /// `send`, also answering its status; with `acceptingNotModified`, a 304 is an answer (to `If-None-Match`), not
    /// an error. `timeout` replaces the configuration's for this call (a long poll outlasts it).
    func exchange(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        headers: [(String, String)] = [],
        body: JSONBody? = nil,
        acceptingNotModified: Bool = false,
        timeout attemptTimeout: Duration? = nil
    ) async throws -> (status: Int, body: Data, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: configuration.baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(contentsOf: headers)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.data))
        }
        let idempotent = [.GET, .PUT, .DELETE].contains(method)
        let (seconds, attoseconds) = (attemptTimeout ?? configuration.timeout).components
        let timeout = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        var attempt = 0
        while true {
            let started = ContinuousClock.now
            do {
                let response = try await httpClient.execute(request, timeout: timeout)
                configuration.observer?(method.rawValue, request.url, Int(response.status.code), ContinuousClock.now - started)
                let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
                let data = Data(buffer.readableBytesView)
                let status = Int(response.status.code)
                guard (200..<300).contains(status) || (acceptingNotModified && status == 304) else {
                    throw Self.error(from: data, response: response)
                }
                return (status, data, response.headers)
            } catch let error as APIClientError {
                throw error
            } catch {
                configuration.observer?(method.rawValue, request.url, nil, ContinuousClock.now - started)
                attempt += 1
                guard idempotent, attempt <= configuration.retries, Self.isConnectionError(error) else {
                    throw TransportError("Cannot reach \(configuration.baseURL): \(error)")
                }
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    /// Sends a request and decodes `data` of the success envelope.
    func call<Payload: Codable & Sendable>(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        headers: [(String, String)] = [],
        body: JSONBody? = nil,
        as: Payload.Type
    ) async throws -> Payload {
        let (data, _) = try await send(method, path, query: query, headers: headers, body: body)
        return try decode(DataEnvelope<Payload>.self, from: data, answering: method, path).data
    }

    /// Sends a GET and decodes one page of the paged envelope: `data` and its pagination block.
    func page<Payload: Codable & Sendable>(_ path: String, query: [(String, String)], as: Payload.Type) async throws -> PagedEnvelope<Payload> {
        let (data, _) = try await send(.GET, path, query: query)
        return try decode(PagedEnvelope<Payload>.self, from: data, answering: .GET, path)
    }

    /// A 2xx answer's body as `type`; one that is not (a proxy's page, another API) is a `TransportError`.
    func decode<Answer: Decodable>(_ type: Answer.Type, from data: Data, answering method: HTTPMethod, _ path: String) throws -> Answer {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw TransportError("The server's answer to \(method) \(path) is not what Coffer's API returns: \(error)")
        }
    }

    static func error(from data: Data, response: HTTPClientResponse) -> APIClientError {
        error(
            from: data,
            status: Int(response.status.code),
            reasonPhrase: response.status.reasonPhrase,
            requestId: response.headers.first(name: "X-Request-Id")
        )
    }

    /// The envelope's message, fields and request id. An answer that is not the error envelope (a proxy's page, a
    /// server that is not Coffer) is named by its status alone: its body may hold anything, values included, and an
    /// error's text ends up in terminals and logs.
    static func error(from data: Data, status: Int, reasonPhrase: String, requestId: String?) -> APIClientError {
        guard let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: data) else {
            let what = data.isEmpty ? "no body" : "a body that is not Coffer's error envelope (\(data.count) bytes, not shown)"
            return APIClientError(status: status, message: "\(reasonPhrase), with \(what)", requestId: requestId)
        }
        return APIClientError(status: status, message: envelope.error.message, details: envelope.error.details ?? [:], requestId: envelope.error.id)
    }

    /// Failures below HTTP (refused, reset, timed out). Anything but cancellation counts: the calls retried are
    /// idempotent, so one retry too many costs time, never a duplicate change.
    static func isConnectionError(_ error: any Error) -> Bool {
        !(error is CancellationError)
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes a path segment or query component.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `/v1/projects/{p}` or, with a team, `/v1/teams/{t}/projects/{p}`.
    static func projectPath(_ projectId: String, teamId: String?) -> String {
        let project = "/projects/\(encode(projectId))"
        return teamId.map { "/v1/teams/\(encode($0))" + project } ?? "/v1" + project
    }

    static func teamPath(_ teamId: String?) -> String {
        teamId.map { "/v1/teams/\(encode($0))" } ?? "/v1"
    }
}

/// The HTTP client of `APIClient.watching`: the shared client's settings, but a refused connection fails its request
/// at once (the caller retries) and a connection attempt gives up after 10 s. Never shut down, like the shared one.
private let failingFastHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(10)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
