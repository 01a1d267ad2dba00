import Foundation

extension Duration {
    /// The duration in seconds, as a floating-point number (rates, progress, messages).
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
