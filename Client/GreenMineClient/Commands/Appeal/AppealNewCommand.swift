import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine appeal new RECORD_ID --reason TEXT [FILE…]`: files and submits an appeal.
struct AppealNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "提出申诉 Appeal a rejected or removed record.",
        usage: HelpUsage.of("greenmine appeal new", "<id> --reason <TEXT> [<FILE> ...]"),
        discussion: """
        Only a rejected or removed pre-application or application of your organisation can be \
        appealed, and only once at a time. Files (PDF or images, at most 10 of 10 MB) are optional \
        and uploaded at the next sync. The appeal is created and submitted in one step, offline.
        只有本单位未通过或已移出的预申报、新设申请可以申诉，且同一时间只能有一项处理中
        的申诉。附件（选填，PDF 或图片，最多 10 个，每个 10 MB）在下次同步时上传。
        申诉一步完成新建和提交，可离线操作。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: """
        被申诉记录的编号或其前缀
        The id (or a unique prefix) of the rejected or removed record.
        """)
    var id: String

    @Option(name: .long, help: ArgumentHelp("申诉理由（必填） Why the decision should be changed (required).",
                                            valueName: "TEXT"))
    var reason: String

    @Argument(help: ArgumentHelp("申诉材料 Files to attach (PDF or images).", valueName: "FILE"))
    var files: [String] = []

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let sources = files.map { AttachmentSource(path: URL(fileURLWithPath: $0), name: AttachmentName.of(path: $0)) }
            let (appeal, attached) = try workspace.fileAppeal(on: id, reason: reason, sources: sources,
                                                              blobs: BlobStore(home: context.home))
            if context.json { return try context.emitJSON(AttachResultJSON(record: appeal.working, files: attached)) }
            context.say("已提出申诉：\(appeal.id.lowercased)（本地状态：\(appeal.working.state.label.zh)），将在下次同步时提交。",
                        "Appeal \(appeal.id.lowercased) filed (local state: \(appeal.working.state.label.en)); it is submitted at the next sync.")
            for file in attached {
                context.output.line("  \(file.slot)  \(AttachmentName.visible(file.name))  \(ByteSize.text(file.size))")
            }
        }
    }
}
