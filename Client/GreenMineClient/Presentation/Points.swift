import Foundation

/// Points as people read them: whole numbers without decimals, others with up to two.
enum Points {
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
