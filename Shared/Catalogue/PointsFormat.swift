import Foundation

/// Renders points for messages: whole numbers without decimals, others with up to two.
enum PointsFormat {
    /// The points as people read them (`800`, `787.5`, `12.34`).
    static func text(_ points: Double) -> String {
        guard points.isFinite else { return String(points) }
        let rounded = (points * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
            return String(Int(rounded))
        }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A share 0...1 as a percentage (`75%`).
    static func percent(_ share: Double) -> String {
        text(share * 100) + "%"
    }
}
