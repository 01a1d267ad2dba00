import Foundation
import GreenMineShared

/// The outcome of a licence registry import: the good rows, and each bad row's line and reason.
public struct LicenceImportReport: Sendable {
    public var licences: [LicenceInfo]
    /// (1-based line number, what is wrong), in line order.
    public var errors: [(line: Int, message: LocalizedText)]
}

/// Parses the licence registry CSV:
/// `number,holder,credit_code,mine_name,main_mineral,mining_method,scale,area,region,valid_from,valid_to`.
/// Fields may be double-quoted (with `""` for a quote). The header line is required.
enum LicenceCSV {
    static let columns = ["number", "holder", "credit_code", "mine_name", "main_mineral", "mining_method", "scale",
                          "area", "region", "valid_from", "valid_to"]

    static func parse(_ text: String, regions: RegionTable) -> LicenceImportReport {
        var report = LicenceImportReport(licences: [], errors: [])
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first.map({ split(String($0)) }),
              header.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == columns else {
            report.errors.append((1, LocalizedText(
                zh: "第 1 行应为表头：\(columns.joined(separator: ","))",
                en: "line 1 must be the header: \(columns.joined(separator: ","))")))
            return report
        }
        var seen = Set<String>()
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            switch row(split(String(line)), regions: regions) {
            case .success(let licence):
                if !seen.insert(licence.number).inserted {
                    report.errors.append((number, LocalizedText(zh: "许可证号 \(licence.number) 重复",
                                                                en: "licence \(licence.number) appears twice")))
                } else {
                    report.licences.append(licence)
                }
            case .failure(let violation):
                report.errors.append((number, violation.message))
            }
        }
        return report
    }

    static func row(_ fields: [String], regions: RegionTable) -> Result<LicenceInfo, RuleViolation> {
        guard fields.count == columns.count else {
            return .failure(RuleViolation(code: "csv_columns", zh: "应有 \(columns.count) 列，实际 \(fields.count) 列",
                                          en: "expected \(columns.count) columns, found \(fields.count)"))
        }
        let f = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if let violation = LicenceNumber.validate(f[0]) ?? CreditCode.validate(f[2])
            ?? RegionCode.validate(f[8], requireCountyLevel: false, table: regions) {
            return .failure(violation)
        }
        for (value, name) in [(f[1], "holder"), (f[3], "mine_name"), (f[4], "main_mineral")] where value.isEmpty {
            return .failure(RuleViolation(code: "csv_required", zh: "\(name) 不能为空", en: "\(name) is empty"))
        }
        guard let method = FormSchema.field("basic.miningMethod", kind: .application),
              case .success(.string(let methodValue)) = FieldRules.parse(f[5], for: method) else {
            return .failure(RuleViolation(code: "csv_mining_method",
                                          zh: "开采方式“\(f[5])”无效（地下开采、露天开采、露天-地下联合）",
                                          en: "mining method '\(f[5])' is not underground, openPit or combined"))
        }
        var numbers: [Double?] = []
        for (value, name) in [(f[6], "scale"), (f[7], "area")] {
            if value.isEmpty { numbers.append(nil); continue }
            guard let number = Double(value), number >= 0, number.isFinite else {
                return .failure(RuleViolation(code: "csv_number", zh: "\(name)“\(value)”不是非负数",
                                              en: "\(name) '\(value)' is not a non-negative number"))
            }
            numbers.append(number)
        }
        guard let from = FieldRules.parseDate(f[9]), let to = FieldRules.parseDate(f[10]) else {
            return .failure(RuleViolation(code: "csv_date", zh: "有效期应为 YYYY-MM-DD 格式的有效日期",
                                          en: "valid_from and valid_to must be valid YYYY-MM-DD dates"))
        }
        guard from <= to else {
            return .failure(RuleViolation(code: "csv_date_order", zh: "有效期止早于有效期起",
                                          en: "valid_to is before valid_from"))
        }
        return .success(LicenceInfo(number: f[0], holder: f[1], creditCode: f[2], mineName: f[3], mainMineral: f[4],
                                    miningMethod: methodValue, scale: numbers[0], area: numbers[1], region: f[8],
                                    validFrom: f[9], validTo: f[10]))
    }

    /// Splits one CSV line, honouring double quotes.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = iterator.next()
        while let character = pending {
            pending = iterator.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" { current.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
