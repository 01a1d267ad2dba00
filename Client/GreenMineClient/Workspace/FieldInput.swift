import Foundation
import GreenMineShared

/// Turns what the user typed for a field into its value, with the schema's rules and messages.
public enum FieldInput {
    /// Splits `PATH=VALUE` at the first `=`.
    public static func split(_ assignment: String) throws -> (path: String, text: String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ClientError(code: "assignment_format",
                              zh: "“\(assignment)”的格式不对：应为 字段路径=值，例如 basic.mineName=长安矿",
                              en: "'\(assignment)' is not PATH=VALUE, e.g. basic.mineName=\"Chang'an mine\"")
        }
        let path = assignment[..<equals].trimmingCharacters(in: .whitespaces)
        return (path, String(assignment[assignment.index(after: equals)...]))
    }

    /// The form field at `path` of a kind, refusing paths the form lacks or the server manages.
    public static func field(_ path: String, kind: RecordKind) throws -> FormField {
        if WorkflowFields.isServerManaged(path) {
            throw ClientError(code: "server_managed_field",
                              zh: "字段 \(path) 由服务器维护（review.、meta.、certificate. 开头的字段），不能修改",
                              en: "the field \(path) is kept by the server (review., meta., certificate.) and cannot be set")
        }
        guard let field = FormSchema.field(path, kind: kind) else {
            let valid = FormSchema.fields(for: kind)
            throw ClientError(
                code: "unknown_field",
                zh: "\(kind.label.zh)表单中没有字段“\(path)”。可用的字段：",
                en: "the \(kind.label.en) form has no field '\(path)'. Valid fields:",
                details: valid.map { LocalizedText(zh: "\($0.path)  \($0.label.zh)", en: "\($0.path)  \($0.label.en)") })
        }
        return field
    }

    /// Parses and checks typed text for a field; `null` clears it.
    public static func value(_ text: String, for field: FormField) throws -> JSONValue {
        let value: JSONValue
        switch FieldRules.parse(text, for: field) {
        case .success(let parsed): value = parsed
        case .failure(let violation): throw ClientError(violation)
        }
        if let violation = FieldRules.violation(of: value, for: field) {
            throw ClientError(violation)
        }
        return value
    }

    /// Parses every `PATH=VALUE` of a command line into values by path; refuses repeated paths.
    public static func values(_ assignments: [String], kind: RecordKind) throws -> [(path: String, value: JSONValue)] {
        var seen: Set<String> = []
        var result: [(path: String, value: JSONValue)] = []
        for assignment in assignments {
            let (path, text) = try split(assignment)
            let field = try field(path, kind: kind)
            guard seen.insert(path).inserted else {
                throw ClientError(code: "repeated_field", zh: "字段 \(path) 重复出现", en: "the field \(path) is given twice")
            }
            result.append((path, try value(text, for: field)))
        }
        return result
    }

    /// A value as the user types it back: the option label for enumerations, 是/否 for booleans.
    public static func typed(_ value: JSONValue?, for field: FormField, language: Language) -> String {
        guard let value else { return "" }
        switch field.type {
        case .enumeration:
            if let text = value.string, let option = field.options?.first(where: { $0.value == text }) {
                return option.label.text(language)
            }
        case .bool:
            if let flag = value.bool { return language == .zh ? (flag ? "是" : "否") : (flag ? "yes" : "no") }
        default:
            break
        }
        return value.display
    }
}
