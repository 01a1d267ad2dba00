import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `APITransport` over Foundation's URLSession (libcurl on Linux).
public struct URLSessionTransport: APITransport {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var baseURL: URL
    /// One session per request timeout, so requests reuse their connections (a new TCP connection
    /// costs a round trip: 0.6 s on a 300 ms radio link).
    private let sessions = SessionCache()

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }

    public func send(_ request: APIRequest) async throws -> APIResponse {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw TransportError(reason: "invalid server URL \(baseURL.absoluteString)")
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + request.path
        components.queryItems = request.query.isEmpty ? nil : request.query
        guard let url = components.url else {
            throw TransportError(reason: "invalid request path \(request.path)")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if let file = request.bodyFile {
            // Streamed from disk: memory stays flat whatever the chunk size. libcurl sends a stream
            // with chunked transfer encoding, so no Content-Length is set (both together are invalid).
            urlRequest.httpBodyStream = try FileRangeStream(file)
        } else {
            urlRequest.httpBody = request.body
        }
        // A request with a body goes on a new connection: were a kept one dead, libcurl would resend
        // on another without rewinding the body (Foundation cannot rewind a stream), and the server
        // would get the bytes shifted. Requests without a body share kept connections.
        let fresh = request.body != nil || request.bodyFile != nil
        let session = fresh ? SessionCache.make(timeout: request.timeout) : sessions.session(timeout: request.timeout)
        defer { if fresh { session.finishTasksAndInvalidate() } }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            // Kept connections may all be dead now (an outage): the next requests open new ones.
            sessions.reset()
            throw TransportError(reason: error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportError(reason: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                headers[name.lowercased()] = value
            }
        }
        return APIResponse(status: http.statusCode, headers: headers, body: data)
    }
}

/// URLSessions by request timeout (corelibs Foundation takes a request's limit from its session's
/// configuration, not from the request). `timeoutIntervalForRequest` is an idle limit: libcurl's
/// transfer restarts its timer whenever a byte is read from the body or arrives, so a stall ends a
/// request and a slow link does not.
final class SessionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [Int: URLSession] = [:]

    func session(timeout: TimeInterval) -> URLSession {
        let key = Int(timeout.rounded(.up))
        return lock.withLock {
            if let session = sessions[key] { return session }
            let session = Self.make(timeout: TimeInterval(key))
            sessions[key] = session
            return session
        }
    }

    /// Forgets every kept session (and so its connections), after a transport error.
    func reset() {
        let dropped = lock.withLock { () -> [URLSession] in
            defer { sessions = [:] }
            return Array(sessions.values)
        }
        for session in dropped { session.finishTasksAndInvalidate() }
    }

    /// A session whose requests are abandoned after `timeout` seconds without a byte moving.
    static func make(timeout: TimeInterval) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        return URLSession(configuration: configuration)
    }

    deinit {
        for session in sessions.values { session.finishTasksAndInvalidate() }
    }
}
