import ArgumentParser
import GreenMineShared

/// `greenmine pre delete ID`: deletes an unsubmitted pre-application.
struct PreDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "删除预申报 Delete an unsubmitted pre-application.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .preApplication).delete(id) }
    }
}
