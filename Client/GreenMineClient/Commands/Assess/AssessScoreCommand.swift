import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine assess score APP_ID --item CODE=POINTS… [--prerequisite P1=yes…] | --guided`.
struct AssessScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "评分 Score prerequisites and items (or --guided).",
        usage: HelpUsage.of("greenmine assess score", "<id> [--item <CODE=POINTS> ...] "
                            + "[--prerequisite <CODE=yes|no> ...] [--summary <TEXT>] [--guided]"),
        discussion: """
        --item CODE=POINTS gives an item points from 0 to its maximum; --prerequisite CODE=yes|no (是/否) \
        answers a prerequisite; CODE=- clears either. Several may follow one option, or be separated by \
        commas. Codes and ranges are checked against the catalogue before anything is saved. The first \
        score makes the assessment record; later ones change it. With --guided every prerequisite and \
        item is asked in turn with its Chinese name and maximum, then the conclusion, each answer \
        checked as typed: Enter keeps the current value, '-' clears it, ':q' gives up without saving, \
        the end of input (Ctrl-D) saves what was answered. Works with piped answers. Works offline.
        --item 编号=分数（0 至该项满分），--prerequisite 编号=是/否，编号=- 清除；
        一个选项后可写多个，也可用逗号分隔。保存前按评价指标体系校验编号和分值。
        --guided 逐项提示（中文名称和满分，最后是评估结论）并即时校验：回车保留当前值，
        - 清空，:q 放弃不保存，Ctrl-D 结束并保存已回答的项目；支持从管道输入。
        可离线操作。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("评分项得分 Points for items, e.g. 1.1.1=18.", valueName: "CODE=POINTS"))
    var item: [String] = []

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("先决条件是否满足 Prerequisites met, e.g. P1=yes.", valueName: "CODE=yes|no"))
    var prerequisite: [String] = []

    @Option(name: .long, help: ArgumentHelp("评估结论 The assessment's conclusion.", valueName: "TEXT"))
    var summary: String?

    @Flag(name: .long, help: "逐项引导评分 Ask item by item, checking each answer.")
    var guided = false

    func validate() throws {
        if guided, !(item.isEmpty && prerequisite.isEmpty) {
            throw ValidationError("--guided asks for every score itself; give no --item or --prerequisite with it (--guided 不能与 --item、--prerequisite 同用)")
        }
        if !guided, item.isEmpty, prerequisite.isEmpty, summary == nil {
            throw ValidationError("give --item CODE=POINTS, --prerequisite CODE=yes|no, --summary TEXT or --guided (请给出评分或使用 --guided)")
        }
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            try workspace.requireCanScore(id)
            let view = try workspace.assessmentSheet(id)
            var values: [String: JSONValue]
            var summaryText = summary
            if guided {
                switch ScorePrompter(context: context).ask(view) {
                case .abandoned:
                    throw ClientError(code: "score_abandoned", zh: "已放弃评分，没有做任何修改",
                                      en: "scoring abandoned; nothing was changed")
                case .answers(let answers, let conclusion):
                    values = answers
                    if summaryText == nil { summaryText = conclusion }
                }
            } else {
                values = try ScoreInput.prerequisites(prerequisite, catalogue: view.catalogue)
                values.merge(try ScoreInput.items(item, catalogue: view.catalogue)) { $1 }
            }
            let update = try workspace.score(id, values: values, summary: summaryText)
            let after = try workspace.assessmentSheet(id)
            if context.json { return try context.emitJSON(update.assessment.working) }
            let short = RecordPresenter.shortId(view.application.id)
            if update.changes.isEmpty {
                context.say("评分没有变化。", "No score changed.")
            } else if update.created {
                context.say("已开始评估申请 \(short)，记录了 \(update.changes.count - 1) 项（待同步）。",
                            "Started the assessment of application \(short) with \(update.changes.count - 1) value(s) (queued for sync).")
            } else {
                context.say("已修改申请 \(short) 的 \(update.changes.count) 项评分（待同步）。",
                            "Changed \(update.changes.count) value(s) of the assessment of application \(short) (queued for sync).")
            }
            let presenter = AssessmentPresenter(context: context)
            context.output.line(presenter.progress(after))
            context.output.line(presenter.result(after.result, catalogue: after.catalogue))
        }
    }
}
