import ArgumentParser
import GreenMineShared

/// `greenmine pre show ID`: one pre-application with every field and its sync standing.
struct PreShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看预申报 Show a pre-application in full.",
        usage: HelpUsage.of("greenmine pre show", "<id>"),
        discussion: """
        Every field, the queued changes, conflicts and the changes the server refused.
        显示所有字段、待同步的修改、冲突和被服务器拒绝的修改。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: """
        编号或其前缀（至少4位）
        The id or a unique prefix of 4+ characters.
        """)
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .preApplication).show(id) }
    }
}
