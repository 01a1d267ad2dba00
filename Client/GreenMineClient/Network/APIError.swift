import Foundation
import GreenMineShared

/// Why a request to the server did not give the answer asked for.
public enum APIError: Error, Sendable, Hashable {
    /// No answer came (network down, refused, timed out).
    case unreachable(String)
    /// The server answered with an error status and its error body.
    case server(status: Int, detail: APIErrorDetail, retryAfter: Int?)
    /// The server's answer could not be read.
    case malformedResponse(status: Int, reason: String)

    /// True for failures worth retrying: no answer, or a 5xx status.
    /// True when the server could not be reached at all (no network, refused, timed out).
    public var isUnreachable: Bool {
        if case .unreachable = self { return true }
        return false
    }

    public var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .server(let status, _, _): status >= 500
        case .malformedResponse(let status, _): status >= 500
        }
    }

    /// The server's error code, if it answered with one.
    public var code: String? {
        if case .server(_, let detail, _) = self { return detail.code }
        return nil
    }

    /// The error as the user sees it.
    public var clientError: ClientError {
        switch self {
        case .unreachable(let reason):
            return ClientError(code: "unreachable", zh: "无法连接服务器：\(reason)",
                               en: "cannot reach the server: \(reason)")
        case .server(let status, let detail, let retryAfter):
            if status == 401, detail.code == "unauthorized" { return .sessionExpired }
            if detail.code == "password_change_required" { return .mustChangePassword }
            var error = ClientError(detail)
            if let retryAfter {
                error.details.append(LocalizedText(zh: "请在 \(retryAfter) 秒后重试", en: "try again in \(retryAfter) s"))
            }
            return error
        case .malformedResponse(let status, let reason):
            return ClientError(code: "malformed_response", zh: "服务器的应答无法识别（HTTP \(status)）：\(reason)",
                               en: "the server's answer could not be read (HTTP \(status)): \(reason)")
        }
    }
}
