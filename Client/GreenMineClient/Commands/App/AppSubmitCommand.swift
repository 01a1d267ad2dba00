import ArgumentParser
import GreenMineShared

/// `greenmine app submit ID`: submits an application (queued for the server).
struct AppSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "提交新设申请 Submit an application.",
        discussion: "The data check must pass. Works offline: the submission is sent at the next sync. 数据检查须通过；离线时在下次同步时提交。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).fire(.submit, id) }
    }
}
