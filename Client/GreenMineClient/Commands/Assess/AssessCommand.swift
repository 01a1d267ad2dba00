import ArgumentParser

/// `greenmine assess`: the third-party assessment agency's work (第三方评估).
struct AssessCommand: AsyncParsableCommand {
    // Help texts: every line holding Chinese is broken by hand to fit 80 columns (HelpTextTests).
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "第三方评估 Score assigned applications (assessors).",
        discussion: """
        After the province assigns an application to your agency, `greenmine sync` fetches it with \
        its evidence. Score each prerequisite (yes/no; any "no" vetoes the mine) and each item \
        (0 to its maximum), on the command line or guided item by item, attach the report PDF, then \
        submit: the application becomes `assessed` and the province decides. Scores are checked \
        against the catalogue as they are typed. Everything works offline and is sent by `greenmine sync`.
        省级自然资源主管部门指派后，运行 `greenmine sync` 取得申请及其佐证材料。逐项填写
        先决条件（是/否，任一为“否”即一票否决）和评分项（0 至该项满分），可在命令行
        直接给分，也可逐项引导填写；上传评估报告（PDF）后提交评估结果，申请变为
        “已评估”，由省级自然资源主管部门审核。输入时即按评价指标体系校验。
        所有操作均可离线进行，运行 `greenmine sync` 时发送。

        Typical 常用:
          greenmine sync
          greenmine assess list
          greenmine assess show 9b1d2e3f
          greenmine assess score 9b1d2e3f --prerequisite P1=是 P2=是 P3=是 P4=是 P5=是
          greenmine assess score 9b1d2e3f --item 1.1.1=18 1.1.2=20
          greenmine assess score 9b1d2e3f --guided
          greenmine assess report 9b1d2e3f 评估报告.pdf
          greenmine assess submit 9b1d2e3f
          greenmine sync
        """,
        subcommands: [AssessListCommand.self, AssessShowCommand.self, AssessScoreCommand.self,
                      AssessReportCommand.self, AssessSubmitCommand.self],
        defaultSubcommand: AssessListCommand.self)
}
