import ArgumentParser
import GreenMineShared

/// `greenmine app delete ID`: deletes an unsubmitted application.
struct AppDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "删除新设申请 Delete an unsubmitted application.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).delete(id) }
    }
}
