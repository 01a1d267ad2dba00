import ArgumentParser
import GreenMineShared

/// `greenmine review approve ID`: 审核通过 Approve (province): an application only with a complete, passing assessment.
struct ReviewApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "审核通过 Approve (province): an application only with a complete, passing assessment.",
        discussion: """
        Pre-applications and appeals under review; applications once assessed, and only when the \
        assessment this device holds passes the catalogue's rules (every prerequisite met, the total \
        and every primary's share) — the refusal names each rule that fails. Approving an application \
        makes the server issue its signed certificate. Works offline: sent at the next sync.
        预申报、申诉在受理后可审核通过；新设申请须已评估且评分达到指标体系的通过条件（先决条件全部满足、总分及各一级指标得分率），\
        否则说明未达到的每一条规则。审核通过后服务器签发证书。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("意见（选填） A comment (optional).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.approve, id, comment: comment) }
    }
}
