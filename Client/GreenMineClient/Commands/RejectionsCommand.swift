import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine rejections`: the changes the server refused, with its reasons.
struct RejectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejections",
        abstract: "被拒绝的修改 Changes the server refused, with reasons.",
        discussion: """
        Listing them marks them seen; --all shows those seen before too.
        列出后即标记为已查看；--all 同时列出已查看过的。
        """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "包括已查看过的 Include those already seen.")
    var all = false

    func run() async throws {
        try await global.run { context in
            let store = try context.openStore(.read)
            // On a read-only home they are shown and stay new until the home can be written.
            let rejections: [Rejection]
            if store.isReadOnly {
                rejections = try store.read { try Rejection.list($0, all: all) }
            } else {
                rejections = try store.write { db in
                    let list = try Rejection.list(db, all: all)
                    try Rejection.markSeen(db)
                    return list
                }
            }
            if context.json { return try context.emitJSON(rejections) }
            guard !rejections.isEmpty else {
                return context.say("没有被拒绝的修改。", "No refused changes.")
            }
            var table = TextTable(headers: [
                context.text("记录", "Record"), context.text("业务", "Kind"), "#", context.text("操作", "Change"),
                context.text("代码", "Code"), context.text("原因", "Reason"), context.text("时间", "Time"),
            ], maxCellWidth: 80)
            for rejection in rejections {
                table.append([
                    RecordPresenter.shortId(rejection.recordId), rejection.kind.label.text(context.language),
                    String(rejection.seq), rejection.transition?.label.text(context.language) ?? rejection.op.rawValue,
                    rejection.code, rejection.reason.text(context.language), context.time(rejection.createdAt),
                ])
            }
            context.output.write(table.render())
        }
    }
}
