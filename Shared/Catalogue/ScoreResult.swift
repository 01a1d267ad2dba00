import Foundation

/// The outcome of scoring a mine against a catalogue.
public struct ScoreResult: Codable, Hashable, Sendable {
    /// Points over all valid items.
    public var total: Double
    /// The most points the catalogue can give.
    public var maxTotal: Double
    /// Points per primary indicator, in catalogue order.
    public var primaries: [PrimaryScore]
    /// True when the mine meets every prerequisite and every threshold (`reasons` is empty).
    public var passed: Bool
    /// Every reason it fails, in order: prerequisites, items, total, primaries; empty when passed.
    public var reasons: [RuleViolation]

    /// Makes a result.
    public init(total: Double, maxTotal: Double, primaries: [PrimaryScore], passed: Bool, reasons: [RuleViolation]) {
        self.total = total
        self.maxTotal = maxTotal
        self.primaries = primaries
        self.passed = passed
        self.reasons = reasons
    }
}

/// The points one primary indicator received.
public struct PrimaryScore: Codable, Hashable, Sendable {
    /// The primary's code.
    public var code: String
    /// The primary's name.
    public var name: LocalizedText
    /// Points over its valid items.
    public var points: Double
    /// Its maximum.
    public var maxPoints: Double
    /// points / maxPoints, 0...1.
    public var share: Double

    /// Makes a primary score.
    public init(code: String, name: LocalizedText, points: Double, maxPoints: Double, share: Double) {
        self.code = code
        self.name = name
        self.points = points
        self.maxPoints = maxPoints
        self.share = share
    }
}
