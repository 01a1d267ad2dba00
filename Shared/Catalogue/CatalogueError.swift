import Foundation

/// Why a catalogue was refused: every broken rule, or the JSON that could not be read.
public struct CatalogueError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The broken rules (codes `catalogue_*`).
    public var violations: [RuleViolation]

    /// Makes the error from the violations found.
    public init(violations: [RuleViolation]) {
        self.violations = violations
    }

    /// The English messages, one per line.
    public var description: String {
        violations.map { "\($0.code): \($0.message.en)" }.joined(separator: "\n")
    }
}
