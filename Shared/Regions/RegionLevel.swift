import Foundation

/// The level of an administrative division in GB/T 2260: province, city (prefecture) or county.
public enum RegionLevel: String, Codable, Sendable, CaseIterable {
    case province
    case city
    case county

    /// The level's name for people.
    public var label: LocalizedText {
        switch self {
        case .province: LocalizedText(zh: "省级", en: "province level")
        case .city: LocalizedText(zh: "市级", en: "city level")
        case .county: LocalizedText(zh: "县级", en: "county level")
        }
    }

    /// 0 for a province, 1 for a city, 2 for a county: a parent always has a smaller depth.
    var depth: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .county: 2
        }
    }
}
