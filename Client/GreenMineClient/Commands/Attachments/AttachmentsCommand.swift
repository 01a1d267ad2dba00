import ArgumentParser
import Foundation
import GreenMineShared

/// `greenmine attachments ID`: a record's files and where each one stands.
struct AttachmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "附件列表 A record's files and their upload state.",
        discussion: """
        Every file with its slot, name, size, type, SHA-256 and upload state. Names are shown as given; control characters in them are shown as \\u{…} escapes (--json gives \
        them exactly). "pending" files are sent by the next sync; "uploaded" ones are on the server.
        列出每个附件的类别、名称、大小、类型、SHA-256 和上传状态。名称按原样显示
        （控制字符以 \\u{…} 转义显示，--json 给出原文）。
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "编号或其前缀 The record's id or a unique prefix.")
    var id: String

    func run() async throws {
        try await global.run { context in
            let (workspace, _) = try context.workspace(.read)
            let listing = try workspace.attachments(of: id, blobs: BlobStore(home: context.home))
            if context.json { return try context.emitJSON(listing) }
            let short = RecordPresenter.shortId(listing.recordId)
            context.say("\(listing.kind.label.zh) \(short) 的附件（\(listing.files.count) 个）",
                        "Files of \(listing.kind.label.en) \(short) (\(listing.files.count))")
            guard !listing.files.isEmpty else { return context.say("（没有附件）", "(no files)") }
            var table = TextTable(headers: [
                context.text("槽位", "Slot"), context.text("大小", "Size"), context.text("类型", "Type"),
                "SHA-256", context.text("状态", "Status"), context.text("名称", "Name"),
            ], maxCellWidth: 4096)
            for file in listing.files {
                table.append([file.slot, ByteSize.text(file.size),
                              ContentType(mime: file.mime)?.label.text(context.language) ?? file.mime,
                              String(file.sha256.prefix(12)), Self.status(file, context: context),
                              AttachmentName.visible(file.name)])
            }
            context.output.write(table.render())
        }
    }

    /// "pending", "pending (42% sent)", "uploaded"; "no local copy" when `get` needs the network.
    static func status(_ file: AttachmentListing.File, context: CommandContext) -> String {
        var text: String
        switch file.status {
        case .uploaded:
            text = context.text("已上传", "uploaded")
        case .pending:
            text = context.text("待上传", "pending")
            if let sent = file.uploadedBytes, sent > 0, file.size > 0 {
                let share = Int(Double(sent) * 100 / Double(file.size))
                text += context.text("（已传 \(share)%）", " (\(share)% sent)")
            }
        }
        return text + (file.local ? "" : context.text("，本机无副本", ", not on this device"))
    }
}
