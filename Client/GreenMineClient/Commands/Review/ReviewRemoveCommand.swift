import ArgumentParser
import GreenMineShared

/// `greenmine review remove APP_ID --reason TEXT`: 移出名录 (province or ministry).
struct ReviewRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "移出名录 Remove an approved mine from the directory (province, ministry); revokes its certificate.",
        discussion: """
        The reason is required and recorded in the process log and the certificate's revocation. \
        Once the removal has synced, `greenmine cert verify` reports the certificate revoked. Works offline.
        须填写移出原因，记入流程记录和证书撤销声明；同步后 `greenmine cert verify` 会报告证书已撤销。可离线操作。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("移出原因（必填） Why the mine is removed (required).", valueName: "TEXT"))
    var reason: String

    func run() async throws {
        try await global.run {
            try ReviewTransition(context: $0).fire(.remove, id, comment: reason, kinds: [.application])
        }
    }
}
