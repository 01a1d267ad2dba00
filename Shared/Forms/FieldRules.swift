import Foundation

/// Parses what a user types into a field's value, and checks a value against the field's rules.
public enum FieldRules {
    /// Turns typed text into the field's value: numbers for numeric fields (a trailing `%` is allowed
    /// for percentages), true/false for booleans (是/否, yes/no, y/n, 1/0), an option's value for
    /// enumerations (by value or by either label). Empty input clears the field (`null`).
    public static func parse(_ input: String, for field: FormField) -> Result<JSONValue, RuleViolation> {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .success(.null) }
        switch field.type {
        case .integer:
            guard let value = Int(text) else { return .failure(notA(field, zh: "整数", en: "a whole number", text)) }
            return .success(.int(value))
        case .decimal, .percent:
            var number = text
            if field.type == .percent, number.hasSuffix("%") { number.removeLast() }
            guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                return .failure(notA(field, zh: "数字", en: "a number", text))
            }
            return .success(.double(value))
        case .bool:
            switch text.lowercased() {
            case "是", "true", "yes", "y", "1", "符合": return .success(.bool(true))
            case "否", "false", "no", "n", "0", "不符合": return .success(.bool(false))
            default: return .failure(notA(field, zh: "是或否", en: "yes or no", text))
            }
        case .enumeration:
            let options = field.options ?? []
            if let option = options.first(where: {
                $0.value == text || $0.label.zh == text || $0.label.en.lowercased() == text.lowercased()
            }) {
                return .success(.string(option.value))
            }
            return .failure(optionViolation(field, text))
        default:
            return .success(.string(text))
        }
    }

    /// Why a value has the wrong JSON type for the field (nil when the type fits; null always fits).
    /// The server refuses such values outright; format and bounds are the data check's concern.
    public static func typeViolation(of value: JSONValue, for field: FormField) -> RuleViolation? {
        if case .null = value { return nil }
        switch field.type {
        case .integer:
            guard let number = value.number, number.isFinite, number.rounded() == number else {
                return notA(field, zh: "整数", en: "a whole number", value.display)
            }
        case .decimal, .percent:
            guard let number = value.number, number.isFinite else {
                return notA(field, zh: "数字", en: "a number", value.display)
            }
        case .bool:
            guard value.bool != nil else { return notA(field, zh: "是或否", en: "yes or no", value.display) }
        default:
            guard value.string != nil else { return notA(field, zh: "文本", en: "text", value.display) }
        }
        return nil
    }

    /// Why a value does not fit the field (nil when it fits). Required-ness is the data check's job.
    public static func violation(of value: JSONValue, for field: FormField,
                                 regions: RegionTable = .standard) -> RuleViolation? {
        if let violation = typeViolation(of: value, for: field) { return violation }
        if let number = value.number { return bounds(number, field) }
        guard let text = value.string else { return nil }
        switch field.type {
        case .text:
            if let limit = field.maxLength, text.count > limit {
                return RuleViolation(code: "too_long",
                                     zh: "“\(field.label.zh)”最多\(limit)个字符，当前\(text.count)个",
                                     en: "\(field.label.en) holds at most \(limit) characters; this has \(text.count)")
            }
            return nil
        case .date:
            return parseDate(text) == nil
                ? RuleViolation(code: "date_format",
                                zh: "“\(field.label.zh)”应为有效日期，格式 YYYY-MM-DD，而不是“\(text)”",
                                en: "\(field.label.en) must be a valid date as YYYY-MM-DD, not '\(text)'")
                : nil
        case .enumeration:
            return (field.options ?? []).contains { $0.value == text } ? nil : optionViolation(field, text)
        case .region:
            return RegionCode.validate(text, requireCountyLevel: false, table: regions)
        case .licence:
            return LicenceNumber.validate(text)
        case .creditCode:
            return CreditCode.validate(text)
        case .phone:
            return ContactFormats.validatePhone(text)
        case .mobile:
            return ContactFormats.validateMobile(text)
        case .email:
            return ContactFormats.validateEmail(text)
        case .postalCode:
            return ContactFormats.validatePostalCode(text)
        case .integer, .decimal, .percent, .bool:
            return nil
        }
    }

    /// Parses `YYYY-MM-DD` into its calendar date at UTC midnight, refusing impossible dates.
    public static func parseDate(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1900...2200).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }

    private static func bounds(_ number: Double, _ field: FormField) -> RuleViolation? {
        let unit = field.unit.map { " \($0)" } ?? ""
        if let min = field.min, number < min {
            return RuleViolation(code: "below_minimum",
                                 zh: "“\(field.label.zh)”不能小于\(format(min))\(unit)，填写的是\(format(number))",
                                 en: "\(field.label.en) must be at least \(format(min))\(unit); got \(format(number))")
        }
        if let max = field.max, number > max {
            return RuleViolation(code: "above_maximum",
                                 zh: "“\(field.label.zh)”不能大于\(format(max))\(unit)，填写的是\(format(number))",
                                 en: "\(field.label.en) must be at most \(format(max))\(unit); got \(format(number))")
        }
        return nil
    }

    private static func format(_ number: Double) -> String {
        JSONValue.double(number).display
    }

    private static func notA(_ field: FormField, zh: String, en: String, _ text: String) -> RuleViolation {
        RuleViolation(code: "wrong_type", zh: "“\(field.label.zh)”应填写\(zh)，而不是“\(text)”",
                      en: "\(field.label.en) must be \(en), not '\(text)'")
    }

    private static func optionViolation(_ field: FormField, _ text: String) -> RuleViolation {
        let options = field.options ?? []
        return RuleViolation(
            code: "not_an_option",
            zh: "“\(field.label.zh)”只能是：\(options.map(\.label.zh).joined(separator: "、"))，而不是“\(text)”",
            en: "\(field.label.en) must be one of \(options.map { "\($0.value) (\($0.label.en))" }.joined(separator: ", ")), not '\(text)'")
    }
}
