import Foundation
import GreenMineShared

/// The scoresheet form as typed: `p.<code>` = yes | no | (empty) for prerequisites, `s.<code>` = points
/// (empty clears) for items, `summary`; read into the assessment's field values the CLI's
/// `greenmine assess score` writes (`prerequisites.<code>`, `scores.<code>`, `assessment.summary`).
struct ConsoleScoresheetInput {
    /// Field values for the assessment record (`.null` clears).
    var values: [String: JSONValue] = [:]
    /// The scoresheet the values make.
    var sheet = Scoresheet()
    /// What was typed, by form name, to show it again.
    var typed: [String: String] = [:]
    var summary = ""
    /// What cannot be saved: numbers that are not numbers or lie outside an item's range.
    var problems: [LocalizedText] = []

    init(form: [String: String], catalogue: Catalogue) {
        for prerequisite in catalogue.prerequisites {
            let name = "p.\(prerequisite.code)"
            let answer = (form[name] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            typed[name] = answer
            switch answer {
            case "yes":
                values["prerequisites.\(prerequisite.code)"] = .bool(true)
                sheet.prerequisites[prerequisite.code] = true
            case "no":
                values["prerequisites.\(prerequisite.code)"] = .bool(false)
                sheet.prerequisites[prerequisite.code] = false
            default:
                values["prerequisites.\(prerequisite.code)"] = .null
            }
        }
        for item in catalogue.allItems {
            let name = "s.\(item.code)"
            var text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
            typed[name] = String(text.prefix(32))
            if text.hasSuffix("分") { text.removeLast() }
            guard !text.isEmpty else {
                values["scores.\(item.code)"] = .null
                continue
            }
            guard let points = Double(text), points.isFinite else {
                problems.append(LocalizedText(
                    zh: "评分项“\(item.code) \(item.name.zh)”的得分“\(text)”不是数字",
                    en: "the points '\(text)' for item '\(item.code) \(item.name.en)' are not a number"))
                continue
            }
            guard points >= 0, points <= item.maxPoints else {
                let max = ConsoleScoresheetView.points(item.maxPoints)
                problems.append(LocalizedText(
                    zh: "评分项“\(item.code) \(item.name.zh)”得分 \(ConsoleScoresheetView.points(points)) 超出范围（应在 0 到 \(max) 分之间）",
                    en: "item '\(item.code) \(item.name.en)': \(ConsoleScoresheetView.points(points)) points is outside 0 to \(max)"))
                continue
            }
            values["scores.\(item.code)"] = points == points.rounded() && abs(points) < 1e9 ? .int(Int(points)) : .double(points)
            sheet.items[item.code] = points
        }
        summary = String((form["summary"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(5000))
        values["assessment.summary"] = summary.isEmpty ? .null : .string(summary)
    }

    /// The values that change `existing` (all set values for a new assessment).
    func changes(from existing: Record?) -> [String: JSONValue] {
        guard let existing else { return values.filter { $0.value != .null } }
        return values.filter { path, value in (existing.fields[path] ?? .null) != value }
    }
}
