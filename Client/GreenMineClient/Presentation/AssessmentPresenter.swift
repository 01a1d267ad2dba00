import Foundation
import GreenMineShared

/// Scoresheets and scores as tables: prerequisites, items with maximum and points, the result.
struct AssessmentPresenter {
    var context: CommandContext

    private var language: Language { context.language }

    /// The whole scoresheet of `assess show`.
    func sheet(_ view: AssessmentSheetView) -> String {
        let application = view.application.working
        var lines: [String] = []
        lines.append(context.text("第三方评估：", "Assessment of ") + (application.text("basic.mineName") ?? "")
                     + "  \(application.id.lowercased)")
        lines.append(context.text("申请状态：", "Application state: ") + application.state.label.text(language)
                     + (application.text(WorkflowFields.agency).map { context.text("    评估机构：", "    agency: ") + $0 } ?? ""))
        lines.append(context.text("评价指标体系：", "Catalogue: ") + view.catalogue.name.text(language)
                     + context.text("（\(view.catalogue.id)）", " (\(view.catalogue.id))"))
        if view.catalogue.isSample, let notice = view.catalogue.notice {
            lines.append(context.text("注意：", "Note: ") + notice.text(language))
        }
        lines.append("")
        lines.append(context.text("【先决条件】（一票否决）", "【Prerequisites】 (each one vetoes)"))
        var prerequisites = TextTable(headers: [context.text("编号", "Code"), context.text("先决条件", "Prerequisite"),
                                                context.text("是否满足", "Met")], maxCellWidth: 70)
        for prerequisite in view.catalogue.prerequisites {
            prerequisites.append([prerequisite.code, prerequisite.name.text(language),
                                  answer(view.sheet.prerequisites[prerequisite.code])])
        }
        lines.append(prerequisites.render())
        lines.append(context.text("【评分项】", "【Items】"))
        var items = TextTable(headers: [context.text("编号", "Code"), context.text("指标", "Indicator"),
                                        context.text("满分", "Max"), context.text("得分", "Points"),
                                        context.text("佐证材料", "Evidence")], maxCellWidth: 50)
        let primaries = Dictionary(uniqueKeysWithValues: view.result.primaries.map { ($0.code, $0) })
        for primary in view.catalogue.primaries {
            let score = primaries[primary.code]
            items.append([primary.code, "■ " + primary.name.text(language), Points.text(primary.maxPoints),
                          score.map { Points.text($0.points) + context.text("（\(Points.percent($0.share))）", " (\(Points.percent($0.share)))") } ?? "", ""])
            for secondary in primary.secondaries {
                items.append([secondary.code, "  " + secondary.name.text(language), "", "", ""])
                for item in secondary.items {
                    let points = view.sheet.items[item.code].map(Points.text) ?? "—"
                    let evidence = view.evidence[item.code].map(String.init) ?? ""
                    items.append([item.code, "    " + item.name.text(language), Points.text(item.maxPoints), points,
                                  evidence])
                }
            }
        }
        lines.append(items.render())
        if let summary = view.assessment?.working.text("assessment.summary") {
            lines.append(context.text("评估结论：", "Conclusion: ") + summary)
        }
        let reports = view.assessment?.working.attachments.filter { $0.slot == "assessment.report" } ?? []
        for report in reports {
            lines.append(context.text("评估报告：", "Report: ") + "\(AttachmentName.visible(report.name))  \(ByteSize.text(report.size))")
        }
        lines.append(progress(view))
        lines.append(result(view.result, catalogue: view.catalogue))
        if !view.pending.isEmpty {
            lines.append(context.text("待同步的修改：\(view.pending.count) 项", "Queued changes: \(view.pending.count)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How much of the sheet is filled.
    func progress(_ view: AssessmentSheetView) -> String {
        let items = view.catalogue.allItems.count
        let prerequisites = view.catalogue.prerequisites.count
        let scored = items - view.unscoredItems.count
        let stated = prerequisites - view.unstatedPrerequisites.count
        return context.text("完成情况：已评分 \(scored)/\(items) 项，先决条件 \(stated)/\(prerequisites) 项",
                            "Progress: \(scored)/\(items) items scored, \(stated)/\(prerequisites) prerequisites answered")
            + (view.complete ? context.text("（已完整，可提交：greenmine assess submit）", " (complete; submit with greenmine assess submit)") : "")
    }

    /// The total, the pass mark and every reason it fails.
    func result(_ result: ScoreResult, catalogue: Catalogue) -> String {
        self.result(result, passRules: catalogue.passRules)
    }

    /// The total against the pass rules, and every reason it fails.
    func result(_ result: ScoreResult, passRules: Catalogue.PassRules) -> String {
        var lines = [context.text(
            "总分：\(Points.text(result.total)) / \(Points.text(result.maxTotal)) 分（通过线 \(Points.text(passRules.minTotal)) 分，各一级指标不低于 \(Points.percent(passRules.minPrimaryShare))）",
            "Total: \(Points.text(result.total)) of \(Points.text(result.maxTotal)) (pass mark \(Points.text(passRules.minTotal)), every primary at least \(Points.percent(passRules.minPrimaryShare)))")]
        if result.passed {
            lines.append(context.text("结果：达到通过条件 ✓", "Result: passes ✓"))
        } else {
            lines.append(context.text("结果：未达到通过条件 ✗", "Result: does not pass ✗"))
            for reason in result.reasons {
                lines.append("  - " + reason.message.text(language))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A scored assessment in a few lines (for `review show`).
    func summary(_ score: AssessmentScore) -> String {
        var lines: [String] = []
        let name = score.catalogueName.map { $0.text(language) + context.text("（\(score.catalogueId)）", " (\(score.catalogueId))") }
            ?? score.catalogueId
        lines.append(context.text("评价指标体系：", "Catalogue: ") + name + "    "
                     + context.text("评分状态：", "scoresheet: ")
                     + (score.complete ? context.text("完整", "complete") : context.text("未完成", "incomplete")))
        if let summary = score.assessment.text("assessment.summary") {
            lines.append(context.text("评估结论：", "Conclusion: ") + summary)
        }
        for report in score.assessment.attachments {
            lines.append(context.text("评估报告：", "Report: ") + "\(AttachmentName.visible(report.name))  \(ByteSize.text(report.size))")
        }
        guard let result = score.result else {
            lines.append(context.text("本机没有该评价指标体系，无法计算得分；由服务器检查。",
                                      "This device does not hold that catalogue, so it cannot compute the score; the server checks it."))
            return lines.joined(separator: "\n")
        }
        var table = TextTable(headers: [context.text("一级指标", "Primary"), context.text("得分", "Points"),
                                        context.text("满分", "Max"), context.text("得分率", "Share")])
        for primary in result.primaries {
            table.append(["\(primary.code) \(primary.name.text(language))", Points.text(primary.points),
                          Points.text(primary.maxPoints), Points.percent(primary.share)])
        }
        lines.append(table.render().trimmingCharacters(in: .newlines))
        lines.append(self.result(result, passRules: score.passRules ?? Catalogue.sample.passRules))
        return lines.joined(separator: "\n")
    }

    private func answer(_ met: Bool?) -> String {
        switch met {
        case .some(true): context.text("是", "yes")
        case .some(false): context.text("否", "no")
        case .none: "—"
        }
    }
}
