import Foundation
import GreenMineShared

/// What `pre` and `app` share: list, show, set, check, submit, withdraw, delete for one kind.
struct RecordActions {
    var context: CommandContext
    var kind: RecordKind

    private var presenter: RecordPresenter { RecordPresenter(context: context) }
    private var label: LocalizedText { kind.label }

    func list() throws {
        let (workspace, _) = try context.workspace(.read)
        let items = try workspace.listing(kind)
        if context.json { return try context.emitJSON(items) }
        context.output.write(presenter.list(items, kind: kind))
    }

    func show(_ id: String) throws {
        let (workspace, _) = try context.workspace(.read)
        let detail = try workspace.detail(id, kinds: [kind])
        if context.json { return try context.emitJSON(detail) }
        context.output.write(presenter.detail(detail))
    }

    func set(_ id: String, _ assignments: [String]) throws {
        guard !assignments.isEmpty else {
            throw ClientError(code: "nothing_to_set", zh: "请给出要修改的字段：PATH=VALUE …",
                              en: "give the fields to change: PATH=VALUE …")
        }
        let (workspace, _) = try context.workspace()
        let update = try workspace.set(id, kinds: [kind], assignments: assignments)
        try reportUpdate(update)
    }

    func reportUpdate(_ update: FieldUpdate) throws {
        if context.json { return try context.emitJSON(update.record.working) }
        let id = RecordPresenter.shortId(update.record.id)
        if update.changes.isEmpty {
            context.say("\(label.zh) \(id) 没有变化。", "\(label.en) \(id): nothing changed.")
        } else {
            context.say("已修改\(label.zh) \(id) 的 \(update.changes.count) 个字段（待同步）：",
                        "Changed \(update.changes.count) field(s) of \(label.en) \(id) (queued for sync):")
            for path in update.changes.keys.sorted() {
                let field = FormSchema.field(path, kind: kind)
                let value = update.changes[path] ?? .null
                let shown = field.map { FieldInput.typed(value, for: $0, language: context.language) } ?? value.display
                context.output.line("  \(field?.label.text(context.language) ?? path) = \(shown.isEmpty ? "—" : shown)")
            }
        }
    }

    /// Runs the data check; exits with status 1 when it finds an error.
    func check(_ id: String) throws {
        let (workspace, _) = try context.workspace(.read)
        let (record, findings) = try workspace.check(id, kinds: [kind])
        if context.json {
            try context.emitJSON(findings)
        } else {
            context.say("数据检查：\(label.zh) \(RecordPresenter.shortId(record.id))",
                        "Data check of \(label.en) \(RecordPresenter.shortId(record.id))")
            context.output.write(presenter.findings(findings, kind: kind))
        }
        if !DataCheck.passes(findings) {
            throw ClientError(code: "data_check_failed",
                              zh: "数据检查未通过，请按上表修改后再提交",
                              en: "the data check found errors; fix them as listed before submitting")
        }
    }

    func fire(_ transition: Transition, _ id: String) throws {
        let (workspace, _) = try context.workspace()
        let record = try workspace.fire(transition, on: id, kinds: [kind])
        if context.json { return try context.emitJSON(record.working) }
        let short = RecordPresenter.shortId(record.id)
        context.say("\(label.zh) \(short) 已\(transition.label.zh)（本地状态：\(record.working.state.label.zh)），将在下次同步时发送。",
                    "\(label.en) \(short): \(transition.label.en) queued (local state: \(record.working.state.label.en)); it is sent at the next sync.")
    }

    func delete(_ id: String) throws {
        let (workspace, _) = try context.workspace()
        let record = try workspace.delete(id, kinds: [kind])
        if context.json { return try context.emitJSON(record.working) }
        context.say("已删除\(label.zh) \(RecordPresenter.shortId(record.id))。",
                    "Deleted \(label.en) \(RecordPresenter.shortId(record.id)).")
    }

    /// Prints a new record's id, its warnings, and what to do next.
    func reportCreated(_ created: CreatedRecord, next: LocalizedText) throws {
        if context.json { return try context.emitJSON(CreatedReport(record: created.record.working, findings: created.findings)) }
        context.say("已新建\(label.zh)：\(created.record.id.lowercased)", "Created \(label.en) \(created.record.id.lowercased)")
        for finding in created.findings {
            context.note(context.text("提示：", "warning: ") + finding.message.text(context.language),
                         context.text("提示：", "warning: ") + finding.message.text(context.language))
        }
        context.output.line(next.text(context.language))
    }
}

/// A new record and its warnings, for `--json`.
struct CreatedReport: Codable, Sendable {
    var record: Record
    var findings: [Finding]
}
