import Foundation
import GreenMineShared

/// The text document `app edit` opens in `$EDITOR`: every field of the form with its Chinese and
/// English label, unit, bounds and current value, one `path = value` line each.
public enum FormDocument {
    /// One line of the document that cannot be taken.
    public struct Problem: Sendable, Hashable {
        /// 1-based line number.
        public var line: Int
        public var message: LocalizedText
    }

    /// Marks the lines the client adds to report problems, so they can be removed again.
    static let problemMarker = "# ! "

    /// The document for a record's current values.
    public static func render(_ record: GreenMineShared.Record, language: Language) -> String {
        var lines: [String] = [
            "# \(record.kind.label.zh) / \(record.kind.label.en)  \(record.id.lowercased)",
            "# 修改“=”后面的值，保存并关闭编辑器即可生效。值为空表示清空该字段；删除整行表示不修改该字段。",
            "# Edit the values after '=', then save and close the editor. An empty value clears the field;",
            "# a deleted line leaves the field as it is. Lines starting with # are ignored.",
            "# 选项字段可填选项值或中文名称；是/否字段填 是 或 否；文字中的换行写作 \\n。",
            "# Option fields take the value or its label; yes/no fields take 是/否 or yes/no; write line breaks as \\n.",
            "# 清空整个文件则放弃修改。 Empty the whole file to abandon the edit.",
        ]
        for section in FormSchema.sections(for: record.kind) {
            lines.append("")
            lines.append("# ==== \(section.title.zh) / \(section.title.en) ====")
            for field in section.fields {
                lines.append("")
                lines.append("# " + describe(field))
                lines.append("\(field.path) = \(escape(text(of: record.fields[field.path], for: field, language: language)))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The values the document gives, by path, and every problem found in it (values are only
    /// usable when there is no problem).
    public static func parse(_ document: String, kind: RecordKind) -> (values: [String: JSONValue], problems: [Problem]) {
        var values: [String: JSONValue] = [:]
        var problems: [Problem] = []
        for (index, raw) in document.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            guard let equals = line.firstIndex(of: "=") else {
                problems.append(Problem(line: number, message: LocalizedText(
                    zh: "第\(number)行应为“字段路径 = 值”：\(line)", en: "line \(number) is not 'path = value': \(line)")))
                continue
            }
            let path = line[..<equals].trimmingCharacters(in: .whitespaces)
            let text = unescape(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            guard let field = FormSchema.field(path, kind: kind), !WorkflowFields.isServerManaged(path) else {
                problems.append(Problem(line: number, message: LocalizedText(
                    zh: "第\(number)行：表单中没有字段“\(path)”", en: "line \(number): the form has no field '\(path)'")))
                continue
            }
            guard values[path] == nil else {
                problems.append(Problem(line: number, message: LocalizedText(
                    zh: "第\(number)行：字段 \(path) 重复出现", en: "line \(number): the field \(path) appears twice")))
                continue
            }
            do {
                values[path] = try FieldInput.value(text, for: field)
            } catch let error as ClientError {
                problems.append(Problem(line: number, message: LocalizedText(
                    zh: "第\(number)行：\(error.message.zh)", en: "line \(number): \(error.message.en)")))
            } catch {
                problems.append(Problem(line: number, message: LocalizedText(
                    zh: "第\(number)行：\(error)", en: "line \(number): \(error)")))
            }
        }
        return (values, problems)
    }

    /// The user's document again, with the problems listed at its top (earlier lists removed).
    public static func annotate(_ document: String, problems: [Problem], language: Language) -> String {
        let kept = document.components(separatedBy: "\n").filter { !$0.hasPrefix(problemMarker) }
        let header = [problemMarker + (language == .zh ? "以下问题需要修改（本行会被自动删除）：" : "Please fix these problems (these lines are removed for you):")]
            + problems.map { problemMarker + $0.message.text(language) }
        return (header + kept).joined(separator: "\n")
    }

    /// True when the document holds nothing but comments and blank lines.
    public static func isEmpty(_ document: String) -> Bool {
        document.components(separatedBy: "\n").allSatisfy {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("#")
        }
    }

    static func describe(_ field: FormField) -> String {
        var parts = ["\(field.label.zh) / \(field.label.en)"]
        if let unit = field.unit { parts[0] += " [\(unit)]" }
        if field.min != nil || field.max != nil {
            parts.append("\(field.min.map { JSONValue.double($0).display } ?? "")–\(field.max.map { JSONValue.double($0).display } ?? "")")
        }
        switch field.type {
        case .date: parts.append("YYYY-MM-DD")
        case .bool: parts.append("是/否 yes/no")
        case .enumeration:
            parts.append((field.options ?? []).map { "\($0.value)=\($0.label.zh)" }.joined(separator: " | "))
        default: break
        }
        parts.append(field.required ? "必填 required" : "选填 optional")
        if field.fromRegistry { parts.append("配号系统 registry") }
        return parts.joined(separator: " — ")
    }

    static func text(of value: JSONValue?, for field: FormField, language: Language) -> String {
        guard let value else { return "" }
        if field.type == .bool, let flag = value.bool { return language == .zh ? (flag ? "是" : "否") : (flag ? "yes" : "no") }
        return value.display
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
