import ArgumentParser
import GreenMineShared

/// `greenmine notices read ID`: marks a notice read without showing it.
struct NoticesReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "标为已读 Mark a notice read.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let notice = try workspace.readNotice(id)
            context.say("已标为已读：\(notice.working.text("notice.title") ?? notice.id.lowercased)",
                        "Marked read: \(notice.working.text("notice.title") ?? notice.id.lowercased)")
        }
    }
}
