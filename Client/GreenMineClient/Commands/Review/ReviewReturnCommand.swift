import ArgumentParser
import GreenMineShared

/// `greenmine review return ID`: 退回 Send a record back to the enterprise for changes (province); a comment is required.
struct ReviewReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "退回 Return a record for changes (province).",
        usage: HelpUsage.of("greenmine review return", "<id> --comment <TEXT>"),
        discussion: """
        Sends a pre-application or appeal under review, or an application under review or assessed, \
        back to the enterprise (state returned), which edits it and submits it again. The reason is required. \
        Works offline: sent at the next sync.
        将已受理的预申报、申诉，或已受理、已评估的新设申请退回企业修改，状态变为
        “已退回”，企业修改后可重新提交。须填写退回理由。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("退回理由（必填） What to change and why (required).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.sendBack, id, comment: comment) }
    }
}
