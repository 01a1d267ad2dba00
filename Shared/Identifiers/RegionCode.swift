import Foundation

/// Checks an administrative division code (GB/T 2260) entered in a form against the region table.
public enum RegionCode {
    /// Checks a code; nil when valid, else `region_format` (not 6 digits), `region_unknown` (not in the table)
    /// or `region_not_county` (a province or city where a county-level division is required).
    public static func validate(_ code: String, requireCountyLevel: Bool, table: RegionTable = .standard) -> RuleViolation? {
        let characters = Array(code)
        if characters.isEmpty {
            return RuleViolation(code: "region_format", zh: "行政区划代码为空，应为6位数字", en: "The division code is empty; it must be 6 digits")
        }
        if let offset = characters.firstIndex(where: { !IdentifierCharacters.isDigit($0) }) {
            let shown = IdentifierCharacters.describe(characters[offset])
            return RuleViolation(
                code: "region_format",
                zh: "行政区划代码第\(offset + 1)位是\(shown.zh)：代码应为6位数字",
                en: "Position \(offset + 1) of the division code is \(shown.en): the code must be 6 digits"
            )
        }
        guard characters.count == 6 else {
            return RuleViolation(
                code: "region_format",
                zh: "行政区划代码应为6位数字，实际为\(characters.count)位",
                en: "The division code must be 6 digits, found \(characters.count)"
            )
        }
        guard let region = table.region(code) else {
            return RuleViolation(
                code: "region_unknown",
                zh: "行政区划代码 \(code) 不在行政区划表中（可能已撤销或输入有误）",
                en: "The division code \(code) is not in the region table (retired or mistyped)"
            )
        }
        if requireCountyLevel, region.level != .county {
            let path = table.displayPath(of: code)
            return RuleViolation(
                code: "region_not_county",
                zh: "所在行政区“\(path)”（\(code)）是\(region.level.label.zh)，请选择到县一级：只有所在行政区选择到县一级，对应市县级自然资源主管部门才能看到该申请",
                en: "The division “\(path)” (\(code)) is \(region.level.label.en); choose down to county level: only then can the city and county natural resources departments concerned see the application"
            )
        }
        return nil
    }
}
