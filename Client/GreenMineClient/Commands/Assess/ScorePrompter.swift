import Foundation
import GreenMineShared

/// `assess score --guided`: asks for each prerequisite and item with its Chinese name and maximum,
/// checking every answer against the catalogue as it is typed.
struct ScorePrompter {
    /// What the assessor did.
    enum Outcome {
        /// The answers given (`scores.*`, `prerequisites.*`) and the conclusion, if one was typed.
        case answers([String: JSONValue], conclusion: String?)
        /// `:q`: nothing is saved.
        case abandoned
    }

    /// One answer to one question.
    private enum Reply {
        case keep
        case value(JSONValue)
        case end
        case abandon
    }

    var context: CommandContext

    func ask(_ view: AssessmentSheetView) -> Outcome {
        let catalogue = view.catalogue
        context.say("逐项评分（\(catalogue.name.zh)）：回车保留当前值，输入 - 清空，输入 :q 放弃（不保存），Ctrl-D 结束并保存已回答的项目。",
                    "Scoring item by item (\(catalogue.name.en)): Enter keeps the current value, '-' clears it, ':q' gives up without saving, Ctrl-D saves what was answered and stops.")
        var answers: [String: JSONValue] = [:]
        context.output.line(context.text("【先决条件】（是/否，任一为否即一票否决）", "【Prerequisites】 (yes/no; any \"no\" vetoes the mine)"))
        for prerequisite in catalogue.prerequisites {
            let current = view.sheet.prerequisites[prerequisite.code]
            let shown = current.map { $0 ? context.text("是", "yes") : context.text("否", "no") }
            let prompt = "\(prerequisite.code) \(prerequisite.name.zh)" + context.text("（是/否）", " (yes/no)")
            switch reply(prompt, current: shown, parse: { try ScoreInput.met($0, for: prerequisite) }) {
            case .keep: continue
            case .value(let value): answers["prerequisites.\(prerequisite.code)"] = value
            case .end: return .answers(answers, conclusion: nil)
            case .abandon: return .abandoned
            }
        }
        for primary in catalogue.primaries {
            context.output.line("【\(primary.code) \(primary.name.zh)】" + context.text("满分 \(Points.text(primary.maxPoints)) 分", " max \(Points.text(primary.maxPoints))"))
            for secondary in primary.secondaries {
                context.output.line("  \(secondary.code) \(secondary.name.zh)")
                for item in secondary.items {
                    let shown = view.sheet.items[item.code].map(Points.text)
                    let prompt = "    \(item.code) \(item.name.zh)" + context.text("（0–\(Points.text(item.maxPoints)) 分）",
                                                                                  " (0–\(Points.text(item.maxPoints)))")
                    switch reply(prompt, current: shown, parse: { try ScoreInput.points($0, for: item) }) {
                    case .keep: continue
                    case .value(let value): answers["scores.\(item.code)"] = value
                    case .end: return .answers(answers, conclusion: nil)
                    case .abandon: return .abandoned
                    }
                }
            }
        }
        let current = view.assessment?.working.text("assessment.summary")
        switch reply(context.text("评估结论（选填）", "Conclusion (optional)"), current: current,
                     parse: { $0 == "-" ? .null : .string($0) }) {
        case .value(.string(let text)): return .answers(answers, conclusion: text)
        case .value(_):
            answers["assessment.summary"] = .null
            return .answers(answers, conclusion: nil)
        case .abandon: return .abandoned
        default: return .answers(answers, conclusion: nil)
        }
    }

    /// Asks until the answer parses, Enter keeps, `:q` abandons or the input ends.
    private func reply(_ prompt: String, current: String?, parse: (String) throws -> JSONValue) -> Reply {
        let suffix = current.map { context.text(" [当前：\($0)]", " [now: \($0)]") } ?? ""
        while true {
            context.output.write(prompt + suffix + context.text("：", ": "))
            guard let line = context.environment.input.readLine() else {
                context.output.line()
                return .end
            }
            // Piped answers are not echoed by a terminal: show them, so the transcript reads well.
            if !context.environment.input.isInteractive { context.output.line(line) }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return .keep }
            if text == ":q" { return .abandon }
            do {
                return .value(try parse(text))
            } catch let error as ClientError {
                context.output.line("  ✗ " + error.message.text(context.language))
            } catch {
                context.output.line("  ✗ \(error)")
            }
        }
    }
}
