import ArgumentParser
import GreenMineShared

/// `greenmine review remove APP_ID --reason TEXT`: 移出名录 (province or ministry).
struct ReviewRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "移出名录 Remove a listed mine (province, ministry).",
        usage: HelpUsage.of("greenmine review remove", "<id> --reason <TEXT>"),
        discussion: """
        An approved application leaves the directory (state removed) and the server revokes its certificate. \
        The reason is required; it is recorded in the process history and in the certificate's signed \
        revocation. Once the removal has synced, `greenmine cert verify` reports the certificate \
        revoked. Works offline: sent at the next sync.
        将审核通过的矿山移出名录，状态变为“已移出”，服务器同时撤销其证书。须填写
        移出原因，记入流程记录和证书的撤销声明；同步后 `greenmine cert verify` 会报告
        该证书已撤销。可离线操作，下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("移出原因（必填） Why the mine is removed (required).", valueName: "TEXT"))
    var reason: String

    func run() async throws {
        try await global.run {
            try ReviewTransition(context: $0).fire(.remove, id, comment: reason, kinds: [.application])
        }
    }
}
