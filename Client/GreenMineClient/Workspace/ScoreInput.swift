import Foundation
import GreenMineShared

/// Reads an assessor's answers — `CODE=POINTS` for items, `CODE=yes|no` for prerequisites — and
/// checks each against the catalogue: the code must be the catalogue's, the points within 0…max.
enum ScoreInput {
    /// `scores.<code>` values from `CODE=POINTS` assignments (`CODE=-` clears a score).
    static func items(_ assignments: [String], catalogue: Catalogue) throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for (code, text) in try pairs(assignments, what: LocalizedText(zh: "评分项", en: "item")) {
            guard let item = catalogue.item(code: code) else {
                throw ClientError(
                    code: "item_unknown", zh: "评分项“\(code)”不在指标体系“\(catalogue.name.zh)”中",
                    en: "item '\(code)' is not in the catalogue '\(catalogue.name.en)'",
                    details: [LocalizedText(zh: "可选的评分项见 greenmine assess show 申请编号",
                                            en: "greenmine assess show APP_ID lists the items")])
            }
            values["scores.\(item.code)"] = try points(text, for: item)
        }
        return values
    }

    /// `prerequisites.<code>` values from `CODE=yes|no` assignments (`CODE=-` clears the answer).
    static func prerequisites(_ assignments: [String], catalogue: Catalogue) throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for (code, text) in try pairs(assignments, what: LocalizedText(zh: "先决条件", en: "prerequisite")) {
            guard let prerequisite = catalogue.prerequisite(code: code.uppercased()) else {
                let known = catalogue.prerequisites.map(\.code).joined(separator: ", ")
                throw ClientError(
                    code: "prerequisite_unknown", zh: "先决条件“\(code)”不在指标体系“\(catalogue.name.zh)”中（可选：\(known)）",
                    en: "prerequisite '\(code)' is not in the catalogue '\(catalogue.name.en)' (choose from \(known))")
            }
            values["prerequisites.\(prerequisite.code)"] = try met(text, for: prerequisite)
        }
        return values
    }

    /// The points typed for an item: a number from 0 to the item's maximum, or `-` to clear.
    static func points(_ text: String, for item: Catalogue.Item) throws -> JSONValue {
        var typed = text.trimmingCharacters(in: .whitespaces)
        if typed == "-" { return .null }
        if typed.hasSuffix("分") { typed.removeLast() }
        guard let value = Double(typed.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw ClientError(code: "points_format",
                              zh: "评分项“\(item.code) \(item.name.zh)”的得分“\(text)”不是数字",
                              en: "the points '\(text)' for item '\(item.code) \(item.name.en)' are not a number")
        }
        guard value >= 0, value <= item.maxPoints else {
            throw ClientError(
                code: "item_out_of_range",
                zh: "评分项“\(item.code) \(item.name.zh)”得分 \(Points.text(value)) 超出范围（应在 0 到 \(Points.text(item.maxPoints)) 分之间）",
                en: "item '\(item.code) \(item.name.en)': \(Points.text(value)) points is outside 0 to \(Points.text(item.maxPoints))")
        }
        return value == value.rounded() && abs(value) < 1e9 ? .int(Int(value)) : .double(value)
    }

    /// Whether a prerequisite is met: yes/no, 是/否, y/n, true/false, 1/0; or `-` to clear.
    static func met(_ text: String, for prerequisite: Catalogue.Prerequisite) throws -> JSONValue {
        let typed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if typed == "-" { return .null }
        if ["yes", "y", "是", "true", "1", "满足"].contains(typed) { return .bool(true) }
        if ["no", "n", "否", "false", "0", "不满足"].contains(typed) { return .bool(false) }
        throw ClientError(code: "prerequisite_answer",
                          zh: "先决条件“\(prerequisite.code)”的回答“\(text)”无效：请回答 是 或 否",
                          en: "'\(text)' is no answer for prerequisite '\(prerequisite.code)': answer yes or no")
    }

    /// `CODE=VALUE` pairs; arguments may also hold several pairs separated by commas.
    private static func pairs(_ assignments: [String], what: LocalizedText) throws -> [(String, String)] {
        var result: [(String, String)] = []
        for argument in assignments {
            for part in argument.split(separator: ",") {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                    throw ClientError(code: "assignment_format",
                                      zh: "“\(text)”的格式不对：\(what.zh)应写成 编号=值",
                                      en: "'\(text)' is not in the form CODE=VALUE (\(what.en))")
                }
                let code = text[..<equals].trimmingCharacters(in: .whitespaces)
                result.append((code, String(text[text.index(after: equals)...])))
            }
        }
        return result
    }
}
