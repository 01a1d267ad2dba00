import Foundation

/// The error envelope of every failed request: `{"error": {"code": …, "message": …}}`.
public struct APIErrorBody: Codable, Hashable, Sendable {
    public var error: APIErrorDetail

    public init(error: APIErrorDetail) {
        self.error = error
    }
}

/// A stable error code and a message, with optional details some errors carry.
public struct APIErrorDetail: Codable, Hashable, Sendable, Error {
    /// Stable, snake_case (e.g. `stale`, `seq_gap`, `data_check_failed`).
    public var code: String
    /// What went wrong, for a person (English; `messageZh` carries the Chinese when known).
    public var message: String
    /// The Chinese message, when the rule that failed has one.
    public var messageZh: String?
    /// For `seq_gap`: the last seq the server applied for this client.
    public var lastSeq: Int?
    /// For `data_check_failed`: every finding of the data check.
    public var findings: [Finding]?

    public init(code: String, message: String, messageZh: String? = nil, lastSeq: Int? = nil,
                findings: [Finding]? = nil) {
        self.code = code
        self.message = message
        self.messageZh = messageZh
        self.lastSeq = lastSeq
        self.findings = findings
    }

    /// An error detail carrying a rule violation's code and both messages.
    public init(_ violation: RuleViolation, findings: [Finding]? = nil) {
        self.init(code: violation.code, message: violation.message.en, messageZh: violation.message.zh,
                  findings: findings)
    }

    /// The message in the given language (English when no Chinese is known).
    public func text(_ language: Language) -> String {
        language == .zh ? (messageZh ?? message) : message
    }
}
