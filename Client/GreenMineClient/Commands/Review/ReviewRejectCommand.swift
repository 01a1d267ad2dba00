import ArgumentParser
import GreenMineShared

/// `greenmine review reject ID`: 不予通过 Reject a record (province); a comment is required.
struct ReviewRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "不予通过 Reject a record (province).",
        usage: HelpUsage.of("greenmine review reject", "<id> --comment <TEXT>"),
        discussion: """
        A pre-application or appeal under review, or an application under review or assessed, is not \
        approved (state rejected). The enterprise may appeal a rejected pre-application or application \
        (greenmine appeal new). The reason is required. Works offline: sent at the next sync.
        对已受理的预申报、申诉，或已受理、已评估的新设申请作出不予通过的决定，状态变为
        “未通过”；企业可对未通过的预申报、新设申请在线申诉。须填写理由。
        可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("不予通过的理由（必填） The reason (required).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.reject, id, comment: comment) }
    }
}
