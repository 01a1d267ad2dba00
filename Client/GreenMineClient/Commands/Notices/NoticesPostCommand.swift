import ArgumentParser
import GreenMineShared

/// `greenmine notice post --title T --body B [--region CODE]`: 发布通知公告 (province, ministry).
struct NoticesPostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "发布通知公告 Post a notice (province, ministry).",
        usage: HelpUsage.of("greenmine notices post", "--title <TEXT> --body <TEXT> [--region <CODE>]"),
        discussion: """
        A province posts to its whole province, or with --region to a division inside it; the ministry \
        posts nationwide, or with --region to one division. Readers get it at their next sync. Works offline.
        省级主管部门发布至本省（或用 --region 指定本省内的行政区）；部级发布至全国
        （或指定行政区）。对方同步后可见。可离线操作。
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("标题 The title.", valueName: "TEXT"))
    var title: String

    @Option(name: .long, help: ArgumentHelp("正文 The text.", valueName: "TEXT"))
    var body: String

    @Option(name: .long, help: ArgumentHelp("发布范围（行政区划代码） The division it is for.", valueName: "CODE"))
    var region: String?

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let notice = try workspace.postNotice(title: title, body: body, region: region)
            if context.json { return try context.emitJSON(notice.working) }
            let scope = notice.working.region.map { RegionTable.standard.displayPath(of: $0) } ?? context.text("全国", "nationwide")
            context.say("已发布通知公告 \(RecordPresenter.shortId(notice.id))（范围：\(scope)），将在下次同步时发送。",
                        "Notice \(RecordPresenter.shortId(notice.id)) posted (for: \(scope)); it is sent at the next sync.")
        }
    }
}
