import Foundation

/// Parses the period of `sync --every`: `90s`, `15m`, `1h`, `1h30m`, `2d` (no bare numbers).
public enum SyncInterval {
    /// The duration written, or nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var total: Int64 = 0
        var digits = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces).lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let number = Int64(digits) {
                let (product, overflow) = number.multipliedReportingOverflow(by: unit)
                guard !overflow else { return nil }
                total += product
                digits = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        guard digits.isEmpty, sawUnit, total > 0 else { return nil }
        return .seconds(total)
    }
}
