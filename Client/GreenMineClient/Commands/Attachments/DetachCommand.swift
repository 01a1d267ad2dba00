import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine detach ID NAME|SHA256`: removes a file from a record offline.
struct DetachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detach", abstract: "移除附件 Remove a file from a record.",
        usage: HelpUsage.of("greenmine detach", "<id> <NAME|SHA256>"),
        discussion: """
        Names the file by its name exactly as shown by `greenmine attachments ID`, or by the first \
        characters (4 or more) of its SHA-256. Queued like every change; sent at the next sync.
        按名称或 SHA-256 前缀（至少 4 位）指定附件；下次同步时发送。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The record's id or a unique prefix.")
    var id: String

    @Argument(help: ArgumentHelp("""
        附件名称或 SHA-256 前缀
        The file's name or a prefix of its SHA-256.
        """, valueName: "NAME|SHA256"))
    var file: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let (record, removed) = try workspace.detach(file, from: id)
            if context.json { return try context.emitJSON(record.working) }
            let short = RecordPresenter.shortId(record.id)
            let name = AttachmentName.visible(removed.name)
            context.say("已从\(record.kind.label.zh) \(short) 移除附件“\(name)”（\(removed.slot)，待同步）。",
                        "Removed “\(name)” (\(removed.slot)) from \(record.kind.label.en) \(short) (queued for sync).")
        }
    }
}
