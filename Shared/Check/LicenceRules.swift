import Foundation

/// The registry is the judge of a licence (manual 3.1.3 and the note of 3.2; DESIGN.md §7): who
/// holds it, whether it is valid today, where the mine is, and the registry-backed fields of a form.
/// One place for the rule: the server refuses a submit with it, the data check shows the same
/// findings offline from the cached registry.
public enum LicenceRules {
    /// Why a record may not be submitted on `licence` (nil when it may): the registry does not know
    /// the number, it belongs to another organisation, or it is not valid `today`.
    public static func submitViolation(number: String, licence: LicenceInfo?, orgId: String?,
                                       today: Date) -> RuleViolation? {
        guard let licence else {
            return RuleViolation(code: "licence_unknown",
                                 zh: "矿业权统一配号系统中没有采矿许可证号 \(number)，不能提交",
                                 en: "the licence registry does not know licence number \(number); it cannot be submitted")
        }
        if let orgId, licence.creditCode != orgId {
            return RuleViolation(code: "licence_not_yours",
                                 zh: "采矿许可证 \(number) 登记的采矿权人为“\(licence.holder)”（\(licence.creditCode)），不是本单位",
                                 en: "licence \(number) is held by \(licence.holder) (\(licence.creditCode)), not by your organisation")
        }
        let day = dayText(today)
        if licence.validTo < day || licence.validFrom > day {
            return RuleViolation(code: "licence_expired",
                                 zh: "采矿许可证 \(number) 的有效期为 \(licence.validFrom) 至 \(licence.validTo)，今天（\(day)）不在有效期内",
                                 en: "licence \(number) is valid from \(licence.validFrom) to \(licence.validTo), not today (\(day))")
        }
        return nil
    }

    /// Why `region` does not fit: it must lie inside the licence's region as the registry states it
    /// (the county itself when the registry gives a county) and inside the organisation's province.
    public static func regionViolation(region: String, licence: LicenceInfo, orgRegion: String?,
                                       regions: RegionTable = .standard) -> RuleViolation? {
        if !regions.contains(licence.region, region) {
            return RuleViolation(code: "region_outside_licence",
                                 zh: "所在行政区 \(region)（\(regions.displayPath(of: region))）不在配号系统登记的许可证所在地 \(licence.region)（\(regions.displayPath(of: licence.region))）之内",
                                 en: "region \(region) (\(regions.displayPath(of: region))) is not inside the licence's registered region \(licence.region) (\(regions.displayPath(of: licence.region)))")
        }
        if let orgRegion, let province = regions.province(of: orgRegion), !regions.contains(province.code, region) {
            return RuleViolation(code: "region_outside_province",
                                 zh: "所在行政区 \(region) 不在本单位所在的 \(province.name) 之内",
                                 en: "region \(region) is not in your organisation's province \(province.name)")
        }
        return nil
    }

    /// The registry's value for each registry-backed path of `kind` (`FormField.fromRegistry`), the
    /// region and the licence number left out: they are the enterprise's, checked above.
    public static func registryFields(_ licence: LicenceInfo, kind: RecordKind) -> [String: JSONValue] {
        var values: [String: JSONValue] = [
            "basic.holder": .string(licence.holder), "basic.creditCode": .string(licence.creditCode),
            "basic.mineName": .string(licence.mineName), "basic.mainMineral": .string(licence.mainMineral),
            "basic.miningMethod": .string(licence.miningMethod),
            "basic.licenceValidFrom": .string(licence.validFrom), "basic.licenceValidTo": .string(licence.validTo),
        ]
        if let scale = licence.scale { values["basic.productionScale"] = .double(scale) }
        if let area = licence.area { values["basic.area"] = .double(area) }
        let backed = Set(FormSchema.fields(for: kind).filter(\.fromRegistry).map(\.path))
        return values.filter { backed.contains($0.key) }
    }

    /// `yyyy-MM-dd` of `date` in China's time (the registry's dates are calendar days there).
    static func dayText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
