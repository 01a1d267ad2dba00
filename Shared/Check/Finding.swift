import Foundation

/// How serious a finding is: errors block a submit, warnings only inform.
public enum Severity: String, Codable, Sendable, CaseIterable {
    case error
    case warning
}

/// One result of the data check (数据检查): where, what rule, and what is wrong.
public struct Finding: Codable, Hashable, Sendable {
    public var severity: Severity
    /// The dotted field path, or `attachments[i]` / `attachments.<slot>` for files.
    public var path: String
    /// Stable code of the rule.
    public var code: String
    public var message: LocalizedText

    public init(severity: Severity, path: String, code: String, message: LocalizedText) {
        self.severity = severity
        self.path = path
        self.code = code
        self.message = message
    }

    /// A finding from a broken rule.
    public init(_ severity: Severity, _ path: String, _ violation: RuleViolation) {
        self.init(severity: severity, path: path, code: violation.code, message: violation.message)
    }
}
