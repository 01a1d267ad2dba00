import ArgumentParser
import GreenMineShared

/// `greenmine notices show ID`: one notice in full; it counts as read.
struct NoticesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "阅读通知 Show a notice (marks it read).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let notice = try workspace.readNotice(id)
            if context.json { return try context.emitJSON(notice.working) }
            let record = notice.working
            context.output.line(record.text("notice.title") ?? "")
            context.output.line(context.time(record.updatedAt))
            context.output.line()
            context.output.line(record.text("notice.body") ?? "")
        }
    }
}
