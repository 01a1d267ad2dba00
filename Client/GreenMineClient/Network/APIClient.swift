import Foundation
import GreenMineShared
import GreenMineZlib

/// The server's HTTP API (DESIGN.md §4) as typed calls over an `APITransport`.
public struct APIClient: Sendable {
    /// Sends the requests.
    public var transport: any APITransport
    /// The bearer token, when logged in.
    public var token: String?
    /// Seconds each request may take.
    public var timeout: TimeInterval

    public init(transport: any APITransport, token: String?, timeout: TimeInterval = 60) {
        self.transport = transport
        self.token = token
        self.timeout = timeout
    }

    /// `POST /v1/auth/login`.
    public func login(_ request: LoginRequest) async throws -> LoginResponse {
        try await call("POST", "/v1/auth/login", body: request, authorized: false)
    }

    /// `POST /v1/auth/logout`.
    public func logout() async throws {
        _ = try await raw("POST", "/v1/auth/logout", body: Optional<Data>.none)
    }

    /// `POST /v1/auth/password`: a fresh session when the server answers 200 with one, nil on 204.
    public func changePassword(_ request: PasswordChangeRequest) async throws -> LoginResponse? {
        let response = try await raw("POST", "/v1/auth/password", body: try WireCoding.encode(request))
        guard response.status != 204, !response.body.isEmpty else { return nil }
        return try decode(LoginResponse.self, response)
    }

    /// `GET /v1/me`.
    public func me() async throws -> UserInfo {
        try await call("GET", "/v1/me")
    }

    /// `POST /v1/sync/push`.
    /// Written with `FastJSON` and read with `FastJSONReader` (the hot path of a sync). A body of
    /// `compressPushAbove` bytes or more goes gzip-compressed (`Content-Encoding: gzip`); a server
    /// that refuses the encoding (415) gets it plain.
    public func push(_ request: PushRequest) async throws -> PushResponse {
        let body = FastJSON.encode(request)
        guard body.count >= Self.compressPushAbove else {
            return try decodeFast(PushResponse.self, try await raw("POST", "/v1/sync/push", body: body))
        }
        do {
            let response = try await raw("POST", "/v1/sync/push", body: Gzip.compress(body, level: 6),
                                         contentEncoding: "gzip")
            return try decodeFast(PushResponse.self, response)
        } catch APIError.server(415, _, _) {
            return try decodeFast(PushResponse.self, try await raw("POST", "/v1/sync/push", body: body))
        }
    }

    /// Push bodies this large or larger are compressed (smaller ones gain less than gzip's header).
    public static let compressPushAbove = 1024

    /// `GET /v1/sync/pull`; `after` is omitted for the beginning. Read with `FastJSONReader`, keeping
    /// each record's JSON text as it came (`PulledPage`).
    public func pullPage(after cursor: String?, limit: Int, clientId: UUID) async throws -> PulledPage {
        var query: [URLQueryItem] = []
        if let cursor { query.append(URLQueryItem(name: "after", value: cursor)) }
        query.append(URLQueryItem(name: "limit", value: String(limit)))
        query.append(URLQueryItem(name: "clientId", value: clientId.wireString))
        let response = try await raw("GET", "/v1/sync/pull", query: query, body: Optional<Data>.none)
        do {
            return try PulledPage.read(response.body)
        } catch {
            throw APIError.malformedResponse(status: response.status, reason: String(describing: error))
        }
    }

    /// `GET /v1/records/{id}/history`.
    public func history(of id: UUID) async throws -> HistoryResponse {
        try await call("GET", "/v1/records/\(id.wireString)/history")
    }

    /// `GET /v1/licenses/{number}`.
    public func licence(_ number: String) async throws -> LicenceInfo {
        let escaped = number.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? number
        return try await call("GET", "/v1/licenses/\(escaped)")
    }

    /// `GET /v1/licenses`: the registry entries of the caller's organisation.
    public func licences() async throws -> LicencesResponse {
        try await call("GET", "/v1/licenses")
    }

    /// `GET /v1/agencies`: the assessment agencies this account may see.
    public func agencies() async throws -> AgenciesResponse {
        try await call("GET", "/v1/agencies")
    }

    /// `GET /v1/portal`: the home page's support contact and the downloads published to this account.
    public func portal() async throws -> PortalResponse {
        try await call("GET", "/v1/portal")
    }

    /// `GET /v1/keys`: the keys that verify certificates.
    public func keys() async throws -> KeysResponse {
        try await call("GET", "/v1/keys")
    }

    /// `GET /v1/certificates/{id}`: a certificate record's signed certificate as it stands now.
    public func certificate(_ id: UUID) async throws -> SignedCertificate {
        try await call("GET", "/v1/certificates/\(id.wireString)")
    }

    /// `POST /v1/admin/users/{id}/reset-password`: the account's initial password, shown once.
    public func resetPassword(userId: String) async throws -> PasswordResetResponse {
        let escaped = userId.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? userId
        let response = try await raw("POST", "/v1/admin/users/\(escaped)/reset-password", body: Optional<Data>.none)
        return try decode(PasswordResetResponse.self, response)
    }

    /// `GET /healthz`.
    public func health() async throws -> HealthResponse {
        try await call("GET", "/healthz", authorized: false)
    }

    // MARK: - Plumbing

    private func call<T: Decodable>(_ method: String, _ path: String, query: [URLQueryItem] = [],
                                    authorized: Bool = true) async throws -> T {
        let response = try await raw(method, path, query: query, body: Optional<Data>.none, authorized: authorized)
        return try decode(T.self, response)
    }

    private func call<T: Decodable, B: Encodable>(_ method: String, _ path: String, body: B,
                                                  authorized: Bool = true) async throws -> T {
        let response = try await raw(method, path, body: try WireCoding.encode(body), authorized: authorized)
        return try decode(T.self, response)
    }

    private func raw(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data?,
                     authorized: Bool = true, contentEncoding: String? = nil) async throws -> APIResponse {
        var headers = ["Accept": "application/json", "User-Agent": "greenmine/\(ProductVersion.current)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let contentEncoding { headers["Content-Encoding"] = contentEncoding }
        if authorized, let token { headers["Authorization"] = "Bearer \(token)" }
        let request = APIRequest(method: method, path: path, query: query, headers: headers, body: body,
                                 timeout: timeout)
        let response: APIResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            throw APIError.unreachable(error.reason)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError.unreachable(String(describing: error))
        }
        guard (200..<300).contains(response.status) else {
            throw Self.error(from: response)
        }
        return response
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: APIResponse) throws -> T {
        do {
            return try WireCoding.decode(type, from: response.body)
        } catch {
            throw APIError.malformedResponse(status: response.status, reason: String(describing: error))
        }
    }

    /// As `decode`, with `FastJSONReader` first (its result is the same; refusals fall back to `JSONDecoder`).
    private func decodeFast<T: FastJSONDecodable>(_ type: T.Type, _ response: APIResponse) throws -> T {
        do {
            return try WireCoding.decodeFast(type, from: response.body)
        } catch {
            throw APIError.malformedResponse(status: response.status, reason: String(describing: error))
        }
    }

    /// The error an error status stands for, read from the body when it holds the error envelope.
    static func error(from response: APIResponse) -> APIError {
        let retryAfter = response.headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let body = try? WireCoding.decode(APIErrorBody.self, from: response.body) {
            return .server(status: response.status, detail: body.error, retryAfter: retryAfter)
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        if response.status >= 500 || response.status == 429 {
            let detail = APIErrorDetail(code: "http_\(response.status)",
                                        message: "the server answered HTTP \(response.status) \(text)",
                                        messageZh: "服务器返回 HTTP \(response.status) \(text)")
            return .server(status: response.status, detail: detail, retryAfter: retryAfter)
        }
        return .malformedResponse(status: response.status, reason: text)
    }
}
