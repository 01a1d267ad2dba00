import Foundation
import GreenMineShared

/// Conflicts as tables.
struct ConflictPresenter {
    var context: CommandContext

    func table(_ views: [ConflictView]) -> String {
        let language = context.language
        var table = TextTable(headers: [
            context.text("冲突编号", "Conflict"), context.text("记录", "Record"), context.text("业务", "Kind"),
            context.text("字段", "Field"), context.text("本机的值", "Mine"), context.text("服务器的值", "Theirs"),
            context.text("当前值", "Now"),
        ], maxCellWidth: 40)
        for view in views {
            let conflict = view.conflict
            let kind = view.record?.kind
            let field = kind.flatMap { FormSchema.field(conflict.path, kind: $0) }
            let current = view.record?.working.fields[conflict.path]
            table.append([
                RecordPresenter.shortId(conflict.id), RecordPresenter.shortId(conflict.recordId),
                kind?.label.text(language) ?? "",
                field.map { "\($0.label.text(language)) (\(conflict.path))" } ?? conflict.path,
                display(conflict.mine, field), display(conflict.theirs, field), display(current ?? .null, field),
            ])
        }
        return table.render()
    }

    private func display(_ value: JSONValue, _ field: FormField?) -> String {
        let text = field.map { FieldInput.typed(value, for: $0, language: context.language) } ?? value.display
        return text.isEmpty ? "—" : text
    }
}
