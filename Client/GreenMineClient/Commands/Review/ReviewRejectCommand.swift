import ArgumentParser
import GreenMineShared

/// `greenmine review reject ID`: 不予通过 Reject a record (province); a comment is required.
struct ReviewRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "不予通过 Reject a record (province); a comment is required.",
        discussion: "Works offline: sent at the next sync. 可离线操作，下次同步时发送。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("意见或理由（必填） The comment or reason (required).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.reject, id, comment: comment) }
    }
}
