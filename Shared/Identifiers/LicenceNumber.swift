import Foundation

/// The mining licence number (采矿许可证号), checked leniently offline: the current `C` + 22 digits,
/// or a legacy uppercase-alphanumeric number of 10-30 characters; the registry is the authority online.
public enum LicenceNumber {
    /// Length of a current (since 2020) number: `C` followed by 22 digits.
    public static let currentLength = 23
    /// Shortest legacy number accepted.
    public static let legacyMinimumLength = 10
    /// Longest legacy number accepted.
    public static let legacyMaximumLength = 30

    /// True for the current permanent format: `C` followed by exactly 22 ASCII digits.
    public static func isCurrentFormat(_ number: String) -> Bool {
        number.count == currentLength && number.first == "C" && IdentifierCharacters.allDigits(number.dropFirst())
    }

    /// Checks a licence number; nil when valid, else `licence_empty`, `licence_lowercase` or `licence_format`.
    public static func validate(_ number: String) -> RuleViolation? {
        if number.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return RuleViolation(code: "licence_empty", zh: "采矿许可证号为空", en: "The mining licence number is empty")
        }
        let characters = Array(number)
        if let offset = characters.firstIndex(where: \.isWhitespace) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return RuleViolation(
                code: "licence_format",
                zh: "采矿许可证号第\(offset + 1)位是\(shown.zh)；许可证号中不能有空格",
                en: "Position \(offset + 1) of the mining licence number is \(shown.en); a licence number has no spaces"
            )
        }
        if let offset = characters.firstIndex(where: IdentifierCharacters.isLowercaseLetter) {
            return RuleViolation(
                code: "licence_lowercase",
                zh: "采矿许可证号第\(offset + 1)位是小写字母“\(characters[offset])”；请使用大写字母（\(number.uppercased())）",
                en: "Position \(offset + 1) of the mining licence number is the lowercase letter “\(characters[offset])”; use uppercase letters (\(number.uppercased()))"
            )
        }
        if let offset = characters.firstIndex(where: { !IdentifierCharacters.isDigit($0) && !IdentifierCharacters.isUppercaseLetter($0) }) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return RuleViolation(
                code: "licence_format",
                zh: "采矿许可证号第\(offset + 1)位的字符\(shown.zh)无效：只允许数字0-9和大写字母A-Z",
                en: "Position \(offset + 1) of the mining licence number holds \(shown.en), which is not allowed: only digits 0-9 and uppercase letters A-Z"
            )
        }
        if characters.first == "C", characters.count > 1, IdentifierCharacters.allDigits(characters.dropFirst()),
           characters.count != currentLength {
            let digits = characters.count - 1
            return RuleViolation(
                code: "licence_format",
                zh: "采矿许可证号“C”后应为22位数字，实际为\(digits)位",
                en: "A mining licence number “C” must be followed by 22 digits, found \(digits)"
            )
        }
        if isCurrentFormat(number) { return nil }
        guard (legacyMinimumLength...legacyMaximumLength).contains(characters.count) else {
            return RuleViolation(
                code: "licence_format",
                zh: "采矿许可证号长度为\(characters.count)位：现行格式为“C”加22位数字（共23位），旧证号应为\(legacyMinimumLength)-\(legacyMaximumLength)位数字或大写字母",
                en: "The mining licence number has \(characters.count) characters: the current format is “C” plus 22 digits (23 in all), and older numbers have \(legacyMinimumLength)-\(legacyMaximumLength) digits or uppercase letters"
            )
        }
        return nil
    }
}
