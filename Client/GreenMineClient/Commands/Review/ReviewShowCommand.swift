import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine review show ID`: one record under review with everything a reviewer needs.
struct ReviewShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看详情 Show a record in full, with its history.",
        usage: HelpUsage.of("greenmine review show", "<id>"),
        discussion: """
        Every section of the form, the attachments, the data check's findings, the evidence per \
        indicator item, the assessment with its score and every rule it fails, certificates, appeals, \
        what your role may do now, and (when the server answers) the process history.
        显示表单各部分、附件、数据检查结果、评价指标佐证材料、评估得分及未达到的规则、
        证书、申诉和您当前可执行的操作；联网时还显示流程监控（办理流程）。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    /// `--json` answer: the record in full and its history when the server gave it.
    struct Report: Codable {
        var review: ReviewDetail
        var history: [HistoryEvent]?
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, session) = try context.workspace(.read)
            let review = try workspace.reviewDetail(id)
            let history = try? await context.api(session, timeout: context.environment.lookupTimeout)
                .history(of: review.detail.record.id)
            if context.json { return try context.emitJSON(Report(review: review, history: history?.events)) }
            context.output.write(ReviewPresenter(context: context).detail(review))
            context.say("【流程监控】", "【Process history】")
            guard let history else {
                return context.say("（暂不可用：流程记录需要联网，且记录已同步；稍后运行 greenmine history \(RecordPresenter.shortId(review.detail.record.id))）",
                                   "(not available: the history needs the server and a synced record; later run greenmine history \(RecordPresenter.shortId(review.detail.record.id)))")
            }
            if history.events.isEmpty { return context.say("（没有记录）", "(no steps)") }
            context.output.write(HistoryPresenter.table(history.events, context: context))
        }
    }
}
