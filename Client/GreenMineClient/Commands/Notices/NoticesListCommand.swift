import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine notices list`: every notice, unread ones marked.
struct NoticesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "通知列表 List the notices.",
        usage: HelpUsage.of("greenmine notices list", "[--unread]"))

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "只列未读 Only unread notices.")
    var unread = false

    /// A notice in `--json` output.
    struct Item: Codable {
        var id: UUID
        var title: String?
        var region: String?
        var publishedAt: Date?
        var read: Bool
    }

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let notices = try workspace.notices().filter { !unread || !$0.read }
            if context.json {
                return try context.emitJSON(notices.map {
                    Item(id: $0.record.id, title: $0.record.working.text("notice.title"),
                         region: $0.record.working.text("notice.region"), publishedAt: $0.record.working.updatedAt,
                         read: $0.read)
                })
            }
            guard !notices.isEmpty else { return context.say("没有通知公告。", "No notices.") }
            var table = TextTable(headers: ["", context.text("编号", "ID"), context.text("标题", "Title"),
                                            context.text("发布时间", "Published")], maxCellWidth: 60)
            for notice in notices {
                table.append([notice.read ? "" : "●", RecordPresenter.shortId(notice.record.id),
                              notice.record.working.text("notice.title") ?? "", context.time(notice.record.working.updatedAt)])
            }
            context.output.write(table.render())
        }
    }
}
