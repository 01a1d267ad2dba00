import Foundation
import GreenMineShared

/// `review list` and `review show` as tables in the user's language.
struct ReviewPresenter {
    var context: CommandContext

    private var language: Language { context.language }

    /// The records under review.
    func list(_ items: [ReviewListItem]) -> String {
        guard !items.isEmpty else {
            return context.text("（没有待审核的记录；同步后可见：greenmine sync）",
                                "(no records to review here; sync to fetch them: greenmine sync)") + "\n"
        }
        var table = TextTable(headers: [
            context.text("编号", "ID"), context.text("类型", "Kind"), context.text("状态", "State"),
            context.text("矿山名称", "Mine"), context.text("采矿权人", "Holder"), context.text("所在行政区", "Region"),
            context.text("评估机构", "Agency"), context.text("待同步", "Queued"), context.text("服务器更新", "Updated"),
        ], maxCellWidth: 36)
        for item in items {
            table.append([
                RecordPresenter.shortId(item.id), item.kind.label.text(language), item.state.label.text(language),
                item.mineName ?? "", item.enterprise ?? "",
                item.region.map { RegionTable.standard.displayPath(of: $0) } ?? "", item.agency ?? "",
                item.pendingChanges == 0 ? "" : String(item.pendingChanges), context.time(item.updatedAt),
            ])
        }
        return table.render()
    }

    /// Everything about one record, section by section.
    func detail(_ review: ReviewDetail) -> String {
        var lines = [RecordPresenter(context: context).detail(review.detail)]
        let record = review.detail.record
        if let agency = record.text(WorkflowFields.agency) {
            lines.append(context.text("评估机构：", "Assessment agency: ") + agency + "\n")
        }
        if let appealed = review.appealed {
            lines.append(context.text("【申诉的记录】", "【Record appealed】"))
            lines.append("  \(appealed.kind.label.text(language))  \(appealed.id.lowercased)  "
                         + appealed.state.label.text(language) + "  " + (appealed.text("basic.mineName") ?? "")
                         + "  " + (appealed.text(FormSchema.licencePath) ?? ""))
            lines.append("")
        }
        lines.append(context.text("【数据检查】", "【Data check】"))
        lines.append(RecordPresenter(context: context).findings(review.findings, kind: record.kind))
        if record.kind == .application {
            lines.append(context.text("【评价指标佐证材料】", "【Evidence】"))
            lines.append(evidence(review.evidence, names: review.indicatorNames))
            lines.append(context.text("【第三方评估】", "【Assessment】"))
            lines.append(review.assessment.map { AssessmentPresenter(context: context).summary($0) }
                         ?? context.text("（尚无评估）", "(no assessment yet)"))
            lines.append("")
            if !review.certificates.isEmpty {
                lines.append(context.text("【绿色矿山证书】", "【Certificate】"))
                for certificate in review.certificates {
                    lines.append("  \(certificate.body.number)  " + status(certificate) + "  "
                                 + context.text("发证日期 ", "issued ") + certificate.body.issuedOn)
                }
                lines.append("")
            }
        }
        if !review.appeals.isEmpty {
            lines.append(context.text("【申诉】", "【Appeals】"))
            for appeal in review.appeals {
                lines.append("  \(RecordPresenter.shortId(appeal.id))  \(appeal.state.label.text(language))  "
                             + (appeal.text("appeal.reason") ?? ""))
            }
            lines.append("")
        }
        lines.append(context.text("【可执行的操作】", "【What you can do now】"))
        if review.allowed.isEmpty {
            lines.append(context.text("  （您的角色在当前状态下没有可执行的操作）", "  (nothing, for your role in this state)"))
        } else {
            let short = RecordPresenter.shortId(record.id)
            for transition in review.allowed {
                guard let command = Self.command(transition, kind: record.kind, id: short) else { continue }
                lines.append("  \(command)    \(transition.label.text(language))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The evidence records as a table.
    func evidence(_ records: [Record], names: [String: LocalizedText]) -> String {
        guard !records.isEmpty else { return context.text("（没有佐证材料）", "(no evidence)") + "\n" }
        var table = TextTable(headers: [context.text("编号", "ID"), context.text("指标项", "Item"),
                                        context.text("说明", "Note"), context.text("文件", "Files")], maxCellWidth: 50)
        for record in records {
            let code = record.text("evidence.indicator") ?? ""
            let name = names[code]?.text(language)
            table.append([RecordPresenter.shortId(record.id), name.map { "\(code) \($0)" } ?? code,
                          record.text("evidence.note") ?? "",
                          record.attachments.map { AttachmentName.visible($0.name) }.joined(separator: ", ")])
        }
        return table.render()
    }

    /// A certificate's status in a few words.
    func status(_ certificate: SignedCertificate) -> String {
        switch certificate.status {
        case .valid: return context.text("有效", "valid")
        case .revoked:
            return context.text("已撤销", "revoked") + (certificate.revokedOn.map { " \($0)" } ?? "")
        }
    }

    /// The command that fires a transition.
    static func command(_ transition: Transition, kind: RecordKind, id: String) -> String? {
        switch transition {
        case .submit, .withdraw:
            switch kind {
            case .preApplication: "greenmine pre \(transition.rawValue) \(id)"
            case .application: "greenmine app \(transition.rawValue) \(id)"
            default: nil
            }
        case .accept, .approve: "greenmine review \(transition.rawValue) \(id)"
        case .opinion, .sendBack, .reject: "greenmine review \(transition.rawValue) \(id) --comment TEXT"
        case .assign: "greenmine review assign \(id) --agency NAME"
        case .completeAssessment: "greenmine assess submit \(id)"
        case .remove: "greenmine review remove \(id) --reason TEXT"
        }
    }
}
