import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine app edit ID`: edits every field of an application in `$EDITOR`.
struct AppEditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "用编辑器填写申请 Edit an application in $EDITOR.",
        discussion: """
        Opens $VISUAL or $EDITOR (vi when neither is set) on a document listing every field with its \
        Chinese and English label, unit and current value. What comes back is checked; on errors you \
        can edit again or give up, and nothing is written until every line is right.
        用编辑器打开包含所有字段（中英文名称、单位、当前值）的文本；保存后逐项校验，
        有错误时可重新编辑或放弃，全部正确后才写入。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let record = try workspace.record(id, kinds: [.application])
            try workspace.requireEditable(record.id)
            let variables = context.environment.variables
            let command = [variables["VISUAL"], variables["EDITOR"]].compactMap { $0 }
                .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
            let file = context.home.url.appendingPathComponent("edit-\(record.id.lowercased).txt")
            defer { try? FileManager.default.removeItem(at: file) }
            let original = FormDocument.render(record.working, language: context.language)
            var document = original
            while true {
                do {
                    try Data(document.utf8).write(to: file, options: .atomic)
                } catch {
                    throw HomeError.fileAccess(path: file.path, reason: error.localizedDescription).clientError
                }
                let status = try context.environment.editor.edit(file: file, command: command)
                guard status == 0 else {
                    throw ClientError(code: "editor_failed",
                                      zh: "编辑器（\(command)）以状态 \(status) 退出，没有做任何修改",
                                      en: "the editor (\(command)) exited with status \(status); nothing was changed")
                }
                let edited = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                if edited == original || FormDocument.isEmpty(edited) {
                    return context.say("没有修改。", "Nothing changed.")
                }
                let (values, problems) = FormDocument.parse(edited, kind: .application)
                if problems.isEmpty {
                    let changed = values.filter { (record.working.fields[$0.key] ?? .null) != $0.value }
                        .sorted { $0.key < $1.key }.map { (path: $0.key, value: $0.value) }
                    let update = try workspace.setFields(record.id, changed)
                    return try RecordActions(context: context, kind: .application).reportUpdate(update)
                }
                for problem in problems { context.output.errorLine(problem.message.text(context.language)) }
                context.output.write(context.text("重新编辑？[Y/n] ", "Edit again? [Y/n] "))
                let answer = context.environment.input.readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
                guard let answer, ["", "y", "yes", "是", "好"].contains(answer) else {
                    throw ClientError(code: "edit_abandoned", zh: "已放弃编辑，没有做任何修改",
                                      en: "edit abandoned; nothing was changed")
                }
                document = FormDocument.annotate(edited, problems: problems, language: context.language)
            }
        }
    }
}
