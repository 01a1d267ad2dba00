import Foundation

extension Catalogue {
    /// Every scored item of the catalogue, in catalogue order.
    public var allItems: [Item] { primaries.flatMap(\.items) }

    /// The most points the whole catalogue can give (the sum of the primaries' maxima).
    public var maxTotal: Double { primaries.reduce(0) { $0 + $1.maxPoints } }

    /// The scored item with this code, if any.
    public func item(code: String) -> Item? {
        allItems.first { $0.code == code }
    }

    /// The primary indicator that holds the item with this code, if any.
    public func primary(ofItem code: String) -> Primary? {
        primaries.first { primary in primary.items.contains { $0.code == code } }
    }

    /// The prerequisite with this code, if any.
    public func prerequisite(code: String) -> Prerequisite? {
        prerequisites.first { $0.code == code }
    }
}
