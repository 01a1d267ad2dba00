import Foundation
import GreenMineShared

/// Where an upload stands on the server (`HEAD` of its URL).
enum TusOffset: Sendable, Hashable {
    /// The server holds this many bytes of it.
    case at(Int64)
    /// The upload is unknown or expired (404, 410): start a new one.
    case gone
}

/// What the server did with one `PATCH`.
enum TusPatchResult: Sendable, Hashable {
    /// 204: the new offset, and the blob's SHA-256 once the last byte arrived.
    case accepted(offset: Int64, sha256: String?)
    /// 409 `offset_mismatch`: the server holds this many bytes (when it said).
    case offsetMismatch(Int64?)
    /// 404, 410: the upload is unknown or expired.
    case gone
    /// 460 `checksum_mismatch`: the chunk arrived damaged and was dropped; send it again.
    case checksumMismatch
    /// 409 `upload_busy`, 429: the server asks to wait.
    case busy(retryAfter: Int?)
    /// Refused for good (`hash_mismatch`, `attachment_truncated`, a too large file, …).
    case refused(APIErrorDetail)
}

/// The client side of the tus 1.0.0 resumable upload protocol (core, creation, termination,
/// checksum) on `/v1/uploads`, and the blob reads `HEAD|GET /v1/blobs/{sha256}` (DESIGN.md §4).
/// Bodies are single chunks, so nothing here holds more than one chunk of a file.
struct TusClient: Sendable {
    /// The API client whose transport, token and timeout are used.
    var api: APIClient
    /// How long a blob read may go without a byte moving (`GET` of a large range on a slow link).
    var patchTimeout: TimeInterval = 300

    static let version = "1.0.0"

    /// `HEAD /v1/blobs/{sha256}`: true when the server has the blob and lets this user read it.
    func blobExists(_ sha256: String) async throws -> Bool {
        let response = try await send("HEAD", "/v1/blobs/\(sha256)", tus: false)
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw APIClient.error(from: response)
        }
    }

    /// `POST /v1/uploads` (creation): the new upload's URL, as a path below the server's base URL.
    func create(length: Int64, filename: String, filetype: String, sha256: String) async throws -> String {
        let metadata = [("filename", filename), ("filetype", filetype), ("sha256", sha256)]
            .map { "\($0.0) \(Data($0.1.utf8).base64EncodedString())" }.joined(separator: ",")
        let response = try await send("POST", "/v1/uploads", headers: [
            "Upload-Length": String(length), "Upload-Metadata": metadata,
        ])
        guard response.status == 201, let location = response.headers["location"], !location.isEmpty else {
            throw Self.failure(response)
        }
        return Self.path(of: location)
    }

    /// `HEAD` of an upload: the bytes the server holds.
    func offset(of url: String) async throws -> TusOffset {
        let response = try await send("HEAD", url, headers: ["Cache-Control": "no-store"])
        switch response.status {
        case 200, 204:
            guard let offset = response.headers["upload-offset"].flatMap({ Int64($0) }) else {
                throw APIError.malformedResponse(status: response.status, reason: "no Upload-Offset in the answer")
            }
            return .at(offset)
        case 404, 410:
            return .gone
        default:
            throw APIClient.error(from: response)
        }
    }

    /// `PATCH` one request's bytes at `offset`, streamed from `chunk`, with their SHA-256 (base64 of
    /// the digest) in `Upload-Checksum` when given (checksum extension: the server then keeps all of
    /// it or nothing; without, it keeps every byte that arrived). The request is abandoned when no
    /// byte moves for the API's timeout (a stall), not after a fixed total time.
    func patch(_ url: String, offset: Int64, chunk: FileBody, sha256 checksum: String?,
               stallLimit: TimeInterval? = nil) async throws -> TusPatchResult {
        var headers = ["Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream"]
        if let checksum { headers["Upload-Checksum"] = "sha256 \(checksum)" }
        let response = try await send("PATCH", url, headers: headers, bodyFile: chunk,
                                      timeout: stallLimit ?? api.timeout)
        let detail = (try? WireCoding.decode(APIErrorBody.self, from: response.body))?.error
        switch response.status {
        case 204, 200:
            guard let next = response.headers["upload-offset"].flatMap({ Int64($0) }) else {
                throw APIError.malformedResponse(status: response.status, reason: "no Upload-Offset in the answer")
            }
            return .accepted(offset: next, sha256: response.headers["greenmine-blob-sha256"]?.lowercased())
        case 404, 410:
            return .gone
        case 409 where detail?.code == "upload_busy":
            return .busy(retryAfter: nil)
        case 409:
            return .offsetMismatch(response.headers["upload-offset"].flatMap { Int64($0) })
        case 429:
            return .busy(retryAfter: response.headers["retry-after"].flatMap { Int($0) })
        case 460 where detail?.code != "hash_mismatch":
            return .checksumMismatch
        case 400, 413, 415, 422, 460:
            return .refused(detail ?? APIErrorDetail(code: "http_\(response.status)",
                                                     message: "the server refused the upload (HTTP \(response.status))",
                                                     messageZh: "服务器拒绝了上传（HTTP \(response.status)）"))
        default:
            throw APIClient.error(from: response)
        }
    }

    /// `DELETE` an upload (termination); an upload already gone counts as done.
    func terminate(_ url: String) async throws {
        let response = try await send("DELETE", url)
        guard [200, 204, 404, 410].contains(response.status) else { throw APIClient.error(from: response) }
    }

    /// `GET /v1/blobs/{sha256}` with `Range: bytes=from-(from+count-1)`: the bytes and the blob's size.
    func blobRange(_ sha256: String, from start: Int64, count: Int64) async throws -> (bytes: Data, total: Int64?) {
        let response = try await send("GET", "/v1/blobs/\(sha256)", tus: false,
                                      headers: ["Range": "bytes=\(start)-\(start + count - 1)"],
                                      timeout: max(api.timeout, patchTimeout))
        switch response.status {
        case 206:
            let total = response.headers["content-range"]?.split(separator: "/").last.flatMap { Int64($0) }
            return (response.body, total)
        case 200 where start == 0:
            return (response.body, Int64(response.body.count))
        default:
            throw APIClient.error(from: response)
        }
    }

    // MARK: - Plumbing

    private func send(_ method: String, _ path: String, tus: Bool = true, headers extra: [String: String] = [:],
                      bodyFile: FileBody? = nil, timeout: TimeInterval? = nil) async throws -> APIResponse {
        var headers = ["User-Agent": "greenmine/\(ProductVersion.current)"]
        if tus { headers["Tus-Resumable"] = Self.version }
        if let token = api.token { headers["Authorization"] = "Bearer \(token)" }
        headers.merge(extra) { $1 }
        let request = APIRequest(method: method, path: path, headers: headers, bodyFile: bodyFile,
                                 timeout: timeout ?? api.timeout)
        let response: APIResponse
        do {
            response = try await api.transport.send(request)
        } catch let error as TransportError {
            throw APIError.unreachable(error.reason)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError.unreachable(String(describing: error))
        }
        if response.status == 401 || response.status == 403 || response.status >= 500 {
            throw APIClient.error(from: response)
        }
        return response
    }

    /// The error of an answer that is not the one expected.
    private static func failure(_ response: APIResponse) -> APIError {
        APIClient.error(from: response)
    }

    /// A `Location` as a path below the server's base URL (it may be absolute or relative).
    static func path(of location: String) -> String {
        if location.hasPrefix("/") { return location }
        if let url = URL(string: location), url.scheme != nil { return url.path }
        return "/" + location
    }
}
