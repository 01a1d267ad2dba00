import Foundation

/// One HTTP request to the server, relative to its base URL.
public struct APIRequest: Sendable, Hashable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path below the server's base URL, e.g. `/v1/sync/pull`.
    public var path: String
    /// Query parameters in order.
    public var query: [URLQueryItem]
    /// Header fields (the transport adds nothing but what is here and the body's length).
    public var headers: [String: String]
    /// The body, if any.
    public var body: Data?
    /// A body streamed from a file instead (upload chunks); takes the place of `body`.
    public var bodyFile: FileBody?
    /// Seconds before the request is abandoned.
    public var timeout: TimeInterval

    public init(method: String, path: String, query: [URLQueryItem] = [], headers: [String: String] = [:],
                body: Data? = nil, bodyFile: FileBody? = nil, timeout: TimeInterval = 60) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyFile = bodyFile
        self.timeout = timeout
    }
}

/// The server's answer: status, header fields (lower-cased names) and body.
public struct APIResponse: Sendable, Hashable {
    public var status: Int
    /// Header fields by lower-cased name.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends requests to one server; the only thing that touches the network, so tests can fake it.
public protocol APITransport: Sendable {
    /// Sends a request and returns the answer, whatever its status. Throws `TransportError` when
    /// no answer came (no route, refused, timed out, cut).
    func send(_ request: APIRequest) async throws -> APIResponse
}

/// No answer came from the server.
public struct TransportError: Error, Sendable, Hashable {
    /// What the network layer said.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
