import ArgumentParser
import GreenMineShared

/// `greenmine review approve ID`: 审核通过 Approve (province): an application only with a complete, passing assessment.
struct ReviewApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "审核通过 Approve a record (province).",
        usage: HelpUsage.of("greenmine review approve", "<id> [--comment <TEXT>]"),
        discussion: """
        Pre-applications and appeals once under review. Applications once assessed, and only when the \
        assessment this device holds is complete and passes the catalogue's rules: every prerequisite \
        met, the total and each primary indicator's share of its maximum; a refusal names each rule \
        that fails. (Without that catalogue on this device, the server checks it at the sync.) \
        Approving an application makes the server issue its signed certificate \
        (greenmine cert download). Approving an appeal upholds it: the rejected record returns to the \
        enterprise, the removed application is listed again with a new certificate. Works offline: \
        sent at the next sync.
        预申报、申诉受理后即可审核通过；新设申请须已评估，且评分完整并达到评价指标
        体系的通过条件（先决条件全部满足，总分及各一级指标得分率达标），否则逐条说明
        未达到的规则（本机没有该评价指标体系时，由服务器在同步时检查）。新设申请审核
        通过后，服务器签发证书（greenmine cert download）。申诉审核通过即申诉成立：
        未通过的记录退回企业，已移出的新设申请恢复入库并签发新证书。
        可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("审核意见（选填） A comment (optional).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.approve, id, comment: comment) }
    }
}
