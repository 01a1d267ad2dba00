import Foundation

/// Format checks for contact details: mobile and fixed-line phone numbers, e-mail addresses, postal codes.
///
/// Fixed lines are `area code` + optional `-` + `local number` + optional `-extension`:
/// - the area code starts with 0; codes beginning 01 or 02 have 3 digits (010, 020-029), all others 4 (0371, 0755);
///   this rule makes the separator optional without ambiguity (`037165432100` = 0371 + 65432100);
/// - the local number has 7 or 8 digits;
/// - an extension is 1-6 digits after a `-` (e.g. `010-12345678-123`); with an extension the area separator is required.
/// Spaces, parentheses and `+86` are refused: enter digits and hyphens only.
public enum ContactFormats {
    /// Checks a mainland mobile number: 11 digits, `1` then 3-9; nil when valid, else `mobile_format`.
    public static func validateMobile(_ number: String) -> RuleViolation? {
        guard let problem = mobileProblem(number) else { return nil }
        return RuleViolation(code: "mobile_format", message: problem)
    }

    /// Checks a fixed-line number (area code, 7-8 digit local number, optional extension); nil when valid, else `phone_format`.
    public static func validateFixedPhone(_ number: String) -> RuleViolation? {
        guard let problem = fixedPhoneProblem(number) else { return nil }
        return RuleViolation(code: "phone_format", message: problem)
    }

    /// Checks a number that may be a mobile or a fixed line; nil when valid, else `phone_format` explaining the closer form.
    public static func validatePhone(_ number: String) -> RuleViolation? {
        if number.first == "1" {
            guard let problem = mobileProblem(number) else { return nil }
            return RuleViolation(code: "phone_format", message: problem)
        }
        if number.first == "0" {
            guard let problem = fixedPhoneProblem(number) else { return nil }
            return RuleViolation(code: "phone_format", message: problem)
        }
        if number.isEmpty {
            return RuleViolation(code: "phone_format", zh: "电话号码为空", en: "The phone number is empty")
        }
        let shown = IdentifierCharacters.describe(number.first ?? " ")
        return RuleViolation(
            code: "phone_format",
            zh: "电话号码以\(shown.zh)开头：手机号应为以1开头的11位数字，固定电话应以区号0开头（如 010-12345678）",
            en: "The phone number starts with \(shown.en): a mobile number is 11 digits starting with 1, a fixed line starts with its area code 0 (e.g. 010-12345678)"
        )
    }

    /// Checks an e-mail address pragmatically: one `@`, a local part, a dotted domain, no spaces; nil when valid, else `email_format`.
    public static func validateEmail(_ address: String) -> RuleViolation? {
        func violation(_ zh: String, _ en: String) -> RuleViolation {
            RuleViolation(code: "email_format", zh: "电子邮箱“\(address)”格式不正确：\(zh)", en: "The e-mail address “\(address)” is not valid: \(en)")
        }
        if address.isEmpty {
            return RuleViolation(code: "email_format", zh: "电子邮箱为空", en: "The e-mail address is empty")
        }
        let characters = Array(address)
        if let offset = characters.firstIndex(where: IdentifierCharacters.isInvisible) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return violation("第\(offset + 1)位是\(shown.zh)，邮箱中不能有空白", "position \(offset + 1) is \(shown.en); an address has no white space")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count == 1
                ? violation("缺少“@”", "it has no “@”")
                : violation("有\(parts.count - 1)个“@”，只能有一个", "it has \(parts.count - 1) “@” signs; exactly one is allowed")
        }
        let local = parts[0], domain = parts[1]
        if local.isEmpty {
            return violation("“@”前面缺少用户名", "nothing comes before the “@”")
        }
        if domain.isEmpty {
            return violation("“@”后面缺少域名", "nothing comes after the “@”")
        }
        if !domain.contains(".") {
            return violation("域名“\(domain)”中没有“.”（例如 example.cn）", "the domain “\(domain)” has no “.” (e.g. example.cn)")
        }
        if domain.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            return violation("域名“\(domain)”的开头、结尾或中间有多余的“.”", "the domain “\(domain)” has an empty part (a leading, trailing or doubled “.”)")
        }
        return nil
    }

    /// Checks a postal code: exactly 6 digits; nil when valid, else `postal_code_format`.
    public static func validatePostalCode(_ code: String) -> RuleViolation? {
        let characters = Array(code)
        if let offset = characters.firstIndex(where: { !IdentifierCharacters.isDigit($0) }) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return RuleViolation(
                code: "postal_code_format",
                zh: "邮政编码第\(offset + 1)位是\(shown.zh)：邮政编码只能是数字",
                en: "Position \(offset + 1) of the postal code is \(shown.en): a postal code has digits only"
            )
        }
        guard characters.count == 6 else {
            return RuleViolation(
                code: "postal_code_format",
                zh: "邮政编码应为6位数字，实际为\(characters.count)位",
                en: "A postal code has 6 digits, found \(characters.count)"
            )
        }
        return nil
    }
}
