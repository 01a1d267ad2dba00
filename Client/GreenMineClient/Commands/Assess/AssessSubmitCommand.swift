import ArgumentParser
import GreenMineShared

/// `greenmine assess submit APP_ID`: 提交评估结果 (the application becomes assessed).
struct AssessSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "提交评估结果 Submit the finished assessment.",
        usage: HelpUsage.of("greenmine assess submit", "<id>"),
        discussion: """
        The application becomes assessed and the province decides. Refused while a \
        prerequisite is unanswered or an item unscored (each one is listed), and for an application \
        not assigned to your agency. A score below the pass rules may be submitted: the province then \
        cannot approve it. Works offline: sent at the next sync, after the scores.
        提交后申请变为“已评估”，由省级自然资源主管部门审核。有未填写的先决条件或
        未评分的评分项时拒绝提交（逐项列出）；非本机构的申请不能提交。未达到通过条件
        的评分也可提交，但省级主管部门将无法审核通过。可离线操作，下次同步时在评分
        之后发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let outcome = try workspace.submitAssessment(id)
            if let note = outcome.note { context.note(note.zh, note.en) }
            if context.json { return try context.emitJSON(outcome.record.working) }
            let short = RecordPresenter.shortId(outcome.record.id)
            context.say("新设申请 \(short)：已提交评估结果（本地状态：\(outcome.record.working.state.label.zh)），将在下次同步时发送。",
                        "Application \(short): assessment submitted (local state: \(outcome.record.working.state.label.en)); it is sent at the next sync.")
            let view = try workspace.assessmentSheet(id)
            context.output.line(AssessmentPresenter(context: context).result(view.result, catalogue: view.catalogue))
        }
    }
}
