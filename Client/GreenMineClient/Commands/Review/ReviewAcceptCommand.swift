import ArgumentParser
import GreenMineShared

/// `greenmine review accept ID`: 受理 Accept a submitted record (province): it goes under review.
struct ReviewAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "受理 Accept a submitted record (province): it goes under review.",
        discussion: "Works offline: sent at the next sync. 可离线操作，下次同步时发送。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("意见（选填） A comment (optional).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.accept, id, comment: comment) }
    }
}
