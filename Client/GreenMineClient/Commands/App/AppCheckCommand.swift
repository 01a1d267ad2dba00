import ArgumentParser
import GreenMineShared

/// `greenmine app check ID`: the data check (数据检查) of an application.
struct AppCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "数据检查 Run the data check on an application.",
        discussion: "Exits with status 1 when the check finds an error. 发现错误时退出状态为 1。")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).check(id) }
    }
}
