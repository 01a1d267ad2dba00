import ArgumentParser
import GreenMineShared

/// `greenmine app show ID`: one application with every field and its sync standing.
struct AppShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "查看新设申请 Show an application: every field, queued changes, conflicts, refusals.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀（至少4位） The id or a unique prefix of 4+ characters.")
    var id: String

    func run() async throws {
        try await global.run { try RecordActions(context: $0, kind: .application).show(id) }
    }
}
