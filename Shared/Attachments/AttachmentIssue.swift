import Foundation

/// A broken attachment rule found in a record: which attachment (its index) and what is wrong.
public struct AttachmentIssue: Codable, Hashable, Sendable {
    /// The index of the attachment in the record's `attachments`.
    public var index: Int
    /// The broken rule.
    public var violation: RuleViolation

    /// The attachment's place in the record for reports: `attachments[3]`.
    public var path: String { "attachments[\(index)]" }

    /// Makes an issue.
    public init(index: Int, violation: RuleViolation) {
        self.index = index
        self.violation = violation
    }
}
