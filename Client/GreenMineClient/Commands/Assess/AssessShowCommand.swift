import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine assess show APP_ID`: the catalogue's prerequisites and items with the scores given.
struct AssessShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看评分表 Show the scoresheet: prerequisites, items with maximum and points, the result.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a unique prefix.")
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
            let (workspace, _) = try context.workspace()
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
