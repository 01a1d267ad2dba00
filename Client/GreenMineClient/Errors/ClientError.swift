import Foundation
import GreenMineShared

/// A failure a command reports to the user: a stable code, a message in both languages, details,
/// and the exit status the process ends with.
public struct ClientError: Error, Sendable, Hashable {
    /// Stable, snake_case, safe for scripts (`unknown_id`, `not_logged_in`, `unreachable`, …).
    public var code: String
    /// What went wrong and what to do about it.
    public var message: LocalizedText
    /// Further lines shown under the message (findings, valid choices, …).
    public var details: [LocalizedText]
    /// The process's exit status.
    public var exitCode: Int32

    public init(code: String, message: LocalizedText, details: [LocalizedText] = [], exitCode: Int32 = 1) {
        self.code = code
        self.message = message
        self.details = details
        self.exitCode = exitCode
    }

    public init(code: String, zh: String, en: String, details: [LocalizedText] = [], exitCode: Int32 = 1) {
        self.init(code: code, message: LocalizedText(zh: zh, en: en), details: details, exitCode: exitCode)
    }

    /// The error for a broken rule of the shared model.
    public init(_ violation: RuleViolation, details: [LocalizedText] = []) {
        self.init(code: violation.code, message: violation.message, details: details)
    }

    /// The error for a refusal of the server.
    public init(_ detail: APIErrorDetail) {
        self.init(code: detail.code,
                  message: LocalizedText(zh: detail.messageZh ?? detail.message, en: detail.message),
                  details: (detail.findings ?? []).map { finding in
                      LocalizedText(zh: "\(finding.path)：\(finding.message.zh)",
                                    en: "\(finding.path): \(finding.message.en)")
                  })
    }
}

extension ClientError {
    /// No session: the user must log in first.
    static let notLoggedIn = ClientError(
        code: "not_logged_in", zh: "尚未登录：请先运行 greenmine login --server URL --user 用户名",
        en: "not logged in: run greenmine login --server URL --user NAME first")

    /// The administrator reset the password: only `passwd` may run.
    static let mustChangePassword = ClientError(
        code: "password_change_required",
        zh: "管理员已重置您的密码，必须先修改密码：请运行 greenmine passwd",
        en: "your password was reset by an administrator and must be changed first: run greenmine passwd")

    /// The server no longer accepts the token.
    static let sessionExpired = ClientError(
        code: "unauthorized", zh: "登录已过期或已失效，请重新登录：greenmine login",
        en: "your session has expired or was revoked; log in again: greenmine login")
}

/// Turns any error into a `ClientError` a person can read.
enum ErrorPresentation {
    /// The error as the user sees it. A failure of SQLite or of the disk (full, read-only, I/O,
    /// damaged) becomes its `StorageFailure` code and message, naming `home` when the failure does
    /// not already name a folder; SQL text never reaches the user.
    static func clientError(_ error: any Error, home: HomeDirectory? = nil) -> ClientError {
        if let failure = StorageFailure.from(error, folder: home?.url.path) {
            return failure.clientError
        }
        switch error {
        case let error as ClientError:
            return error
        case let violation as RuleViolation:
            return ClientError(violation)
        case let error as APIError:
            return error.clientError
        case let error as StoreError:
            return error.clientError
        case let error as BlobStoreError:
            return error.clientError
        case let refusal as UploadRefusal:
            return ClientError(refusal.detail)
        default:
            let text = String(describing: error)
            return ClientError(code: "internal_error", zh: "内部错误：\(text)", en: "internal error: \(text)")
        }
    }
}
