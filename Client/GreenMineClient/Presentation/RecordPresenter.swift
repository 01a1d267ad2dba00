import Foundation
import GreenMineShared

/// Lists, details and findings of records as tables in the user's language.
struct RecordPresenter {
    var context: CommandContext

    private var language: Language { context.language }

    /// The first 8 characters of an id: enough to tell records apart, and accepted as a prefix.
    static func shortId(_ id: UUID) -> String {
        String(id.lowercased.prefix(8))
    }

    /// A list of records.
    func list(_ items: [RecordListItem], kind: RecordKind) -> String {
        guard !items.isEmpty else {
            return context.text("（没有\(kind.label.zh)）", "(no \(kind.label.en) records)") + "\n"
        }
        var table = TextTable(headers: [
            context.text("编号", "ID"), context.text("状态", "State"), context.text("采矿许可证号", "Licence"),
            context.text("矿山名称", "Mine"), context.text("所在行政区", "Region"), context.text("版本", "Ver"),
            context.text("待同步", "Queued"), context.text("本地更新", "Updated"),
        ])
        for item in items {
            var state = item.state.label.text(language)
            if item.openConflicts > 0 { state += context.text(" ⚠冲突", " ⚠conflict") }
            table.append([
                Self.shortId(item.id), state, item.licenceNumber ?? "", item.mineName ?? "",
                item.region.map { RegionTable.standard.displayPath(of: $0) } ?? "",
                item.version == 0 ? "-" : String(item.version), item.pendingChanges == 0 ? "" : String(item.pendingChanges),
                context.time(item.updatedLocal),
            ])
        }
        return table.render()
    }

    /// A record in full: header, every form field by section, then its sync standing.
    func detail(_ detail: RecordDetail) -> String {
        let record = detail.record
        var lines: [String] = []
        lines.append("\(record.kind.label.text(language))  \(record.id.lowercased)")
        lines.append(context.text("状态：", "State: ") + record.state.label.text(language)
                     + "    " + context.text("服务器版本：", "Server version: ")
                     + (detail.base.map { String($0.version) } ?? context.text("未同步", "not synced")))
        if let region = record.region {
            lines.append(context.text("所在行政区：", "Region: ") + "\(region) \(RegionTable.standard.displayPath(of: region))")
        }
        if let updated = detail.base?.updatedAt {
            lines.append(context.text("服务器更新时间：", "Server update: ") + context.time(updated))
        }
        lines.append("")
        let comments = ProcessTrail.comments(of: record)
        if !comments.isEmpty {
            // Issue 14: the reviewers' latest comments, pulled with the record (readable offline).
            lines.append(context.text("【审核意见】（最新在前）", "【Reviewer comments】 (newest first)"))
            for event in comments.prefix(5) {
                lines.append(commentLine(event))
            }
            lines.append("")
        }
        lines.append(fields(record))
        if !record.attachments.isEmpty {
            lines.append(context.text("附件", "Attachments"))
            for file in record.attachments {
                lines.append("  \(file.slot)  \(AttachmentName.visible(file.name))  \(ByteSize.text(file.size))  "
                             + "\(file.sha256.prefix(12))")
            }
            lines.append("")
        }
        if !detail.pending.isEmpty {
            lines.append(context.text("待同步的修改（\(detail.pending.count)）", "Queued changes (\(detail.pending.count))"))
            for mutation in detail.pending {
                lines.append("  #\(mutation.seq)  \(describe(mutation))  \(context.time(mutation.deviceTime))")
            }
            lines.append("")
        }
        if !detail.conflicts.isEmpty {
            lines.append(context.text("未处理的冲突", "Open conflicts"))
            for conflict in detail.conflicts {
                let label = FormSchema.field(conflict.path, kind: record.kind)?.label.text(language) ?? conflict.path
                lines.append("  \(Self.shortId(conflict.id))  \(label)（\(conflict.path)）"
                             + context.text("  本机：", "  mine: ") + conflict.mine.display
                             + context.text("  服务器：", "  theirs: ") + conflict.theirs.display)
            }
            lines.append("")
        }
        if !detail.rejections.isEmpty {
            lines.append(context.text("被服务器拒绝的修改", "Changes the server refused"))
            for rejection in detail.rejections {
                lines.append("  #\(rejection.seq)  \(rejection.op.rawValue)\(rejection.transition.map { " \($0.rawValue)" } ?? "")"
                             + "  [\(rejection.code)]  \(rejection.reason.text(language))")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One reviewer comment: when, the step, who (role), then the comment wrapped under it.
    func commentLine(_ event: HistoryEvent, indent: String = "  ") -> String {
        let step = HistoryPresenter.action(event.action, language: language)
        let head = "\(indent)\(context.time(event.serverTime))  \(step)  \(event.actorName)（\(event.role.label.text(language))）"
        let body = DisplayWidth.wrap(event.comment ?? "", to: context.terminalColumns - indent.count - 4)
            .map { indent + "    " + $0 }
        return ([head] + body).joined(separator: "\n")
    }

    /// Every field of the record's form, by section, with unit; unset fields shown as `—`.
    func fields(_ record: Record) -> String {
        var lines: [String] = []
        for section in FormSchema.sections(for: record.kind) {
            lines.append("【\(section.title.text(language))】")
            var table = TextTable(headers: [context.text("字段", "Field"), context.text("值", "Value"),
                                            context.text("路径", "Path")], maxCellWidth: 60)
            for field in section.fields {
                let value = record.fields[field.path]
                var shown = value.map { FieldInput.typed($0, for: field, language: language) } ?? ""
                if shown.isEmpty {
                    shown = "—"
                } else if let unit = field.unit {
                    shown += unit == "%" ? "%" : " \(unit)"
                }
                let label = field.label.text(language) + (field.required ? "" : context.text("（选填）", " (optional)"))
                table.append([label, shown, field.path])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    /// The data check's findings as a table.
    func findings(_ findings: [Finding], kind: RecordKind) -> String {
        guard !findings.isEmpty else { return context.text("数据检查通过，没有发现问题。", "Data check passed: no findings.") + "\n" }
        // One block per finding: severity, the field's label with its path, the code; then the whole
        // message wrapped by display width (CJK two columns) under it, never cut (issue 14).
        let width = context.terminalColumns
        var lines: [String] = []
        for finding in findings.sorted(by: { ($0.severity.rawValue, $0.path) < ($1.severity.rawValue, $1.path) }) {
            let severity = finding.severity == .error ? context.text("✗ 错误", "✗ error") : context.text("! 提示", "! warning")
            let field: String
            if let label = FormSchema.field(finding.path, kind: kind)?.label.text(language), label != finding.path {
                field = label + context.text("（\(finding.path)）", " (\(finding.path))")
            } else {
                field = finding.path
            }
            lines.append("\(severity)  \(field)  [\(finding.code)]")
            lines += DisplayWidth.wrap(finding.message.text(language), to: width - 4).map { "    " + $0 }
        }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.count - errors
        return lines.joined(separator: "\n") + "\n" + context.text("共 \(errors) 个错误，\(warnings) 个提示。",
                                                                 "\(errors) error(s), \(warnings) warning(s).") + "\n"
    }

    /// A queued mutation in a few words.
    func describe(_ mutation: Mutation) -> String {
        switch mutation.op {
        case .create: return context.text("新建", "create")
        case .patch:
            let paths = (mutation.set ?? [:]).keys.sorted()
            return context.text("修改 ", "change ") + paths.joined(separator: ", ")
        case .delete: return context.text("删除", "delete")
        case .transition: return mutation.transition.map { $0.label.text(language) } ?? "transition"
        case .attach:
            return context.text("添加附件 ", "attach ") + AttachmentName.visible(mutation.attachment?.name ?? "")
        case .detach:
            return context.text("移除附件 ", "detach ") + String(mutation.attachment?.sha256.prefix(12) ?? "")
        }
    }
}
