import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine assess show APP_ID`: the catalogue's prerequisites and items with the scores given.
struct AssessShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看评分表 Show the scoresheet and the result.",
        usage: HelpUsage.of("greenmine assess show", "<id>"),
        discussion: """
        Every prerequisite with its answer; every item with its maximum, the points given and the \
        evidence filed; each primary indicator's points and share; the conclusion, the report, the \
        progress, the total and every pass rule the scores do not meet yet.
        显示各先决条件是否满足，各评分项的满分、得分和佐证材料数，各一级指标得分及
        得分率，评估结论、评估报告、完成情况、总分，以及尚未达到的通过条件。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    /// `--json` answer.
    struct Report: Codable {
        var applicationId: UUID
        var assessment: Record?
        var catalogueId: String
        var sheet: Scoresheet
        var result: ScoreResult
        var complete: Bool
        var unscoredItems: [String]
        var unstatedPrerequisites: [String]
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let view = try workspace.assessmentSheet(id)
            if context.json {
                return try context.emitJSON(Report(
                    applicationId: view.application.id, assessment: view.assessment?.working,
                    catalogueId: view.catalogue.id, sheet: view.sheet, result: view.result, complete: view.complete,
                    unscoredItems: view.unscoredItems, unstatedPrerequisites: view.unstatedPrerequisites))
            }
            context.output.write(AssessmentPresenter(context: context).sheet(view))
        }
    }
}
