import Foundation

/// One administrative division of the GB/T 2260 table.
public struct Region: Codable, Hashable, Sendable {
    /// The six-digit division code, e.g. `410000`.
    public var code: String
    /// The division's name, e.g. `河南省`.
    public var name: String
    /// Province, city or county.
    public var level: RegionLevel
    /// The enclosing division's code: the city, or the province for a province-administered
    /// county-level division (e.g. 济源市 419001 → 410000); nil for a province.
    public var parent: String?
    /// Longitude of the seat, when known.
    public var longitude: Double?
    /// Latitude of the seat, when known.
    public var latitude: Double?

    /// Makes a region from its fields.
    public init(
        code: String, name: String, level: RegionLevel, parent: String?,
        longitude: Double? = nil, latitude: Double? = nil
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.longitude = longitude
        self.latitude = latitude
    }
}
