import Foundation
import GreenMineShared

/// A refusal by a domain service: an HTTP-free status class, a stable code and messages.
public struct ServiceError: Error, Sendable, Hashable {
    /// What kind of refusal this is; the HTTP layer maps it to a status code.
    public enum Kind: Sendable, Hashable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case conflict
        case tooLarge
        case tooManyRequests(retryAfter: Int)
        case unavailable
        case gone
        case unsupportedMediaType
        case preconditionFailed
        case unprocessable
        case rangeNotSatisfiable
        /// tus checksum extension: 460 Checksum Mismatch.
        case checksumMismatch
    }

    public var kind: Kind
    public var detail: APIErrorDetail

    public init(_ kind: Kind, _ detail: APIErrorDetail) {
        self.kind = kind
        self.detail = detail
    }

    /// A refusal with a code and both messages.
    public init(_ kind: Kind, code: String, en: String, zh: String) {
        self.init(kind, APIErrorDetail(code: code, message: en, messageZh: zh))
    }

    /// A refusal carrying a rule violation.
    public init(_ kind: Kind, _ violation: RuleViolation) {
        self.init(kind, APIErrorDetail(violation))
    }

    static let unauthorized = ServiceError(.unauthorized, code: "unauthorized",
                                           en: "not logged in, or the session has expired: log in again",
                                           zh: "未登录或登录已过期，请重新登录")
    static let recordNotFound = ServiceError(.notFound, code: "not_found", en: "no such record",
                                             zh: "没有该记录")
}
