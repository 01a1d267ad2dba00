import ArgumentParser
import GreenMineShared

/// `greenmine app withdraw ID`: withdraws an application (queued for the server).
struct AppWithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "撤回新设申请 Withdraw an application.",
        discussion: "Only a submitted record no reviewer has acted on can be withdrawn. 只有已提交且尚未审核的记录可以撤回。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).fire(.withdraw, id) }
    }
}
