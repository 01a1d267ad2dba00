import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `APITransport` over Foundation's URLSession (libcurl on Linux).
public struct URLSessionTransport: APITransport {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var baseURL: URL

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
        // `timeoutIntervalForRequest` is an idle limit (libcurl's transfer restarts its timer whenever
        // a byte is read from the body or arrives): a stall ends a request, a slow link does not.
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = request.timeout
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
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
