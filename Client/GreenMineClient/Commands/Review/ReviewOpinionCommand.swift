import ArgumentParser
import GreenMineShared

/// `greenmine review opinion ID`: 初审意见 Add a preliminary opinion (county, city, province); the state does not change.
struct ReviewOpinionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion", abstract: "初审意见 Add a preliminary opinion (county, city, province); the state does not change.",
        discussion: "Works offline: sent at the next sync. 可离线操作，下次同步时发送。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    @Option(name: .long, help: ArgumentHelp("意见或理由（必填） The comment or reason (required).", valueName: "TEXT"))
    var comment: String?

    func run() async throws {
        try await global.run { try ReviewTransition(context: $0).fire(.opinion, id, comment: comment) }
    }
}
