import Foundation

extension Catalogue {
    /// A prerequisite (先决条件): a yes/no condition every mine must meet.
    public struct Prerequisite: Codable, Hashable, Sendable {
        /// Unique code within the catalogue, e.g. `P1`.
        public var code: String
        /// What the mine must satisfy.
        public var name: LocalizedText

        /// Makes a prerequisite.
        public init(code: String, name: LocalizedText) {
            self.code = code
            self.name = name
        }
    }

    /// A primary indicator (一级指标) with its maximum points and its secondary indicators.
    public struct Primary: Codable, Hashable, Sendable {
        /// Unique code within the catalogue, e.g. `1`.
        public var code: String
        /// The indicator's name.
        public var name: LocalizedText
        /// The most points it can give; equals the sum of its items' maxima.
        public var maxPoints: Double
        /// Its secondary indicators.
        public var secondaries: [Secondary]

        /// Makes a primary indicator.
        public init(code: String, name: LocalizedText, maxPoints: Double, secondaries: [Secondary]) {
            self.code = code
            self.name = name
            self.maxPoints = maxPoints
            self.secondaries = secondaries
        }

        /// Every scored item under this primary, in catalogue order.
        public var items: [Item] { secondaries.flatMap(\.items) }
    }

    /// A secondary indicator (二级指标): a group of scored items.
    public struct Secondary: Codable, Hashable, Sendable {
        /// Unique code within the catalogue, e.g. `1.1`.
        public var code: String
        /// The indicator's name.
        public var name: LocalizedText
        /// The scored items (三级指标 / 评分项).
        public var items: [Item]

        /// Makes a secondary indicator.
        public init(code: String, name: LocalizedText, items: [Item]) {
            self.code = code
            self.name = name
            self.items = items
        }
    }

    /// A scored item (评分项): the unit an assessor gives points for and evidence is uploaded to.
    public struct Item: Codable, Hashable, Sendable {
        /// Unique code within the catalogue, e.g. `1.1.1`.
        public var code: String
        /// What is scored.
        public var name: LocalizedText
        /// The most points the item can give.
        public var maxPoints: Double

        /// Makes a scored item.
        public init(code: String, name: LocalizedText, maxPoints: Double) {
            self.code = code
            self.name = name
            self.maxPoints = maxPoints
        }
    }

    /// The pass rules: a minimum total and a minimum share of every primary's maximum.
    public struct PassRules: Codable, Hashable, Sendable {
        /// The least total a passing mine has, e.g. 800 of 1000.
        public var minTotal: Double
        /// The least share (0...1) of each primary's maximum a passing mine has, e.g. 0.75.
        public var minPrimaryShare: Double

        /// Makes pass rules.
        public init(minTotal: Double, minPrimaryShare: Double) {
            self.minTotal = minTotal
            self.minPrimaryShare = minPrimaryShare
        }
    }
}
