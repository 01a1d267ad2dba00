import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GreenMineShared

/// A minimal HTTP client over URLSession for the benchmark: the stack `greenmine` used until it moved to
/// AsyncHTTPClient (its push is measured beside, `SyncBenchmarks.pushAsClient`).
struct BenchHTTP: Sendable {
    let base: URL
    let session: URLSession

    init(base: URL, connections: Int = 8) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.timeoutIntervalForRequest = 120
        self.session = URLSession(configuration: configuration)
    }

    /// Sends a request and returns the status and body.
    func send(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> (Int, Data) {
        guard let url = URL(string: path, relativeTo: base) else { throw BenchError("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Logs in and returns the token.
    func login(_ username: String, _ password: String) async throws -> String {
        let (status, data) = try await send("POST", "/v1/auth/login",
                                            body: try WireCoding.encode(LoginRequest(username: username, password: password)))
        guard status == 200 else { throw BenchError("login failed: \(status) \(String(decoding: data, as: UTF8.self))") }
        return try WireCoding.decode(LoginResponse.self, from: data).token
    }
}

/// A benchmark failure.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
