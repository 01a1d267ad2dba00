import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine evidence add APP_ID --indicator CODE [--note TEXT] FILE…`: new evidence with its files.
struct EvidenceAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "上传佐证材料 Add evidence for one indicator item of an application.",
        usage: HelpUsage.of("greenmine evidence add",
                            "<application-id> --indicator <CODE> [--note <TEXT>] [--name <NAME>] <FILE> ..."),
        discussion: """
        Makes an evidence record under the application and attaches the files: PDFs go to evidence.pdf, \
        images to evidence.image (by content, never by name; at most 10 of each, 10 MB each). All or nothing.
        按文件内容分为 PDF 与图片两类（各最多 10 个，每个 10 MB）；
        全部添加成功或全部不添加。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "新设申请编号或其前缀 The application's id or a prefix.")
    var applicationId: String

    @Option(name: .long, help: ArgumentHelp("评价指标项编号 The indicator item's code, e.g. 1.1.1.", valueName: "CODE"))
    var indicator: String

    @Option(name: .long, help: ArgumentHelp("说明 A note on the evidence.", valueName: "TEXT"))
    var note: String?

    @OptionGroup var files: AttachmentFiles

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace()
            let added = try workspace.addEvidence(to: applicationId, indicator: indicator, note: note,
                                                  sources: files.sources, blobs: BlobStore(home: context.home))
            if context.json {
                return try context.emitJSON(AttachResultJSON(record: added.record.working, files: added.files))
            }
            let parent = added.record.parentId.map(RecordPresenter.shortId) ?? ""
            context.say("已新建评价指标佐证材料：\(added.record.id.lowercased)（申请 \(parent)，指标项 \(indicator)）",
                        "Created evidence \(added.record.id.lowercased) (application \(parent), indicator \(indicator))")
            for finding in added.findings {
                context.note(context.text("提示：", "warning: ") + finding.message.text(context.language),
                             context.text("提示：", "warning: ") + finding.message.text(context.language))
            }
            try AttachmentReport(context: context).attached(added.files, to: added.record)
        }
    }
}
