import ArgumentParser
import GreenMineShared

/// `greenmine review accept ID`: 受理 Accept a submitted record (province): it goes under review.
struct ReviewAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "受理 Accept a submitted record (province).",
        usage: HelpUsage.of("greenmine review accept", "<id> [--comment <TEXT>]"),
        discussion: """
        A submitted pre-application, application or appeal goes under review; the enterprise \
        can no longer withdraw it. Works offline: sent at the next sync.
        受理已提交的预申报、新设申请或申诉，状态变为“已受理”，企业不能再撤回。
        可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("受理意见（选填） A comment (optional).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.accept, id, comment: comment) }
    }
}
