import Foundation

/// An assessor's scores for one mine: each prerequisite met or not, and points per item code.
public struct Scoresheet: Codable, Hashable, Sendable {
    /// Prerequisite code → met; a prerequisite not listed counts as not stated.
    public var prerequisites: [String: Bool]
    /// Item code → points given; an item not listed counts as 0.
    public var items: [String: Double]

    /// Makes a scoresheet.
    public init(prerequisites: [String: Bool] = [:], items: [String: Double] = [:]) {
        self.prerequisites = prerequisites
        self.items = items
    }
}
