import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine app fill ID`: asks for an application's fields one by one with Chinese labels.
struct AppFillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill", abstract: "逐项填写申请 Fill an application field by field.",
        usage: HelpUsage.of("greenmine app fill", "<id> [--section <SECTION>] [--all]"),
        discussion: """
        Asks for each field with its label, unit and current value, and checks each answer as it is \
        typed. Enter keeps the current value, '-' clears it, ':q' gives up without saving; the end \
        of input (Ctrl-D) saves what was answered. Registry fields that are filled are skipped \
        unless --all is given. Works with piped answers.
        逐项提示填写并即时校验：直接回车保留当前值，输入 - 清空，输入 :q 放弃不保存，
        Ctrl-D 结束并保存已回答的字段。已由配号系统填好的字段默认跳过（--all 也询问）。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("只填写这一部分 Only this section: basic, contact, indicators, status.",
                                            valueName: "SECTION"))
    var section: String?

    @Flag(name: .long, help: """
        也询问已由配号系统填好的字段
        Also ask for the fields the registry filled.
        """)
    var all = false

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let record = try workspace.record(id, kinds: [.application])
            try workspace.requireEditable(record.id)
            let sections = FormSchema.sections(for: .application)
            if let section, !sections.contains(where: { $0.id == section }) {
                throw ClientError(code: "unknown_section",
                                  zh: "没有“\(section)”这一部分；可选：\(sections.map { "\($0.id)（\($0.title.zh)）" }.joined(separator: "、"))",
                                  en: "there is no section '\(section)'; choose one of \(sections.map(\.id).joined(separator: ", "))")
            }
            context.say("逐项填写；直接回车保留当前值，输入 - 清空，输入 :q 放弃（不保存），Ctrl-D 结束并保存。",
                        "Answer each field; Enter keeps the current value, '-' clears it, ':q' gives up without saving, Ctrl-D saves and stops.")
            let prompter = FieldPrompter(context: context)
            var answers: [(path: String, value: JSONValue)] = []
            fill: for part in sections where section == nil || part.id == section {
                context.output.line("【\(part.title.text(context.language))】")
                for field in part.fields {
                    let current = record.working.fields[field.path]
                    if field.fromRegistry, !all, let current, !current.isBlank { continue }
                    switch prompter.ask(field, current: current) {
                    case .keep: continue
                    case .value(let value): answers.append((field.path, value))
                    case .endOfInput: break fill
                    case .abandon:
                        throw ClientError(code: "fill_abandoned", zh: "已放弃填写，没有做任何修改",
                                          en: "filling abandoned; nothing was changed")
                    }
                }
            }
            let update = try workspace.setFields(record.id, answers)
            try RecordActions(context: context, kind: .application).reportUpdate(update)
        }
    }
}

/// Asks for one field's value until the answer fits the field's rules.
struct FieldPrompter {
    /// What the user answered.
    enum Answer {
        case keep
        case value(JSONValue)
        case endOfInput
        case abandon
    }

    var context: CommandContext

    func ask(_ field: FormField, current: JSONValue?) -> Answer {
        let language = context.language
        var prompt = field.label.text(language)
        if let unit = field.unit { prompt += "（\(unit)）" }
        if !field.required { prompt += context.text("（选填）", " (optional)") }
        if let options = field.options, field.type == .enumeration {
            let choices = options.enumerated().map { "\($0.offset + 1)) \($0.element.label.text(language))" }
            context.output.line("  " + choices.joined(separator: "  "))
        } else if field.type == .bool {
            prompt += context.text("（是/否）", " (yes/no)")
        } else if field.type == .date {
            prompt += " (YYYY-MM-DD)"
        }
        let shown = current.map { FieldInput.typed($0, for: field, language: language) } ?? ""
        if !shown.isEmpty { prompt += context.text(" [当前：\(shown)]", " [now: \(shown)]") }
        while true {
            context.output.write(prompt + context.text("：", ": "))
            guard let line = context.environment.input.readLine() else {
                context.output.line()
                return .endOfInput
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return .keep }
            if text == ":q" { return .abandon }
            if text == "-" { return .value(.null) }
            var typed = text
            if field.type == .enumeration, let options = field.options, let number = Int(text),
               options.indices.contains(number - 1) {
                typed = options[number - 1].value
            }
            do {
                return .value(try FieldInput.value(typed, for: field))
            } catch let error as ClientError {
                context.output.line(context.text("  ✗ ", "  ✗ ") + error.message.text(language))
            } catch {
                context.output.line("  ✗ \(error)")
            }
        }
    }
}
