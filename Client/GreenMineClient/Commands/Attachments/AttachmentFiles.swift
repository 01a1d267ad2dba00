import ArgumentParser
import Foundation
import GreenMineShared

/// The files of an attach command and the name to keep for them.
struct AttachmentFiles: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        """
        附件名称（仅限一个文件，默认为原文件名）
        The name to keep and show for the file (one FILE only; default: its own name).
        """,
        valueName: "NAME"))
    var name: String?

    @Argument(help: ArgumentHelp("要添加的文件 Files to attach.", valueName: "FILE"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty {
            throw ValidationError("give at least one FILE to attach (请给出要添加的文件)")
        }
        if name != nil, files.count != 1 {
            throw ValidationError("--name names one file; give exactly one FILE with it (--name 只能用于一个文件)")
        }
    }

    /// The files with their names as given.
    var sources: [AttachmentSource] {
        files.map { path in
            AttachmentSource(path: URL(fileURLWithPath: path), name: name ?? AttachmentName.of(path: path))
        }
    }
}

/// What attach commands print.
struct AttachmentReport {
    var context: CommandContext

    /// The files just attached (or found already there).
    func attached(_ files: [AttachedFile], to record: LocalRecord) throws {
        if context.json {
            return try context.emitJSON(AttachResultJSON(record: record.working, files: files))
        }
        let label = record.kind.label
        let short = RecordPresenter.shortId(record.id)
        let queued = files.filter(\.queued).count
        context.say("已向\(label.zh) \(short) 添加 \(queued) 个附件（待同步，下次同步时上传）：",
                    "Attached \(queued) file(s) to \(label.en) \(short) (queued; uploaded at the next sync):")
        for file in files {
            let type = ContentType(mime: file.mime)?.label.text(context.language) ?? file.mime
            let line = "  \(file.slot)  \(AttachmentName.visible(file.name))  \(ByteSize.text(file.size))  \(type)  \(file.sha256.prefix(12))"
            context.output.line(line + (file.queued ? "" : context.text("  （已有相同文件，未重复添加）", "  (already attached; nothing queued)")))
        }
    }
}

/// `--json` answer of attach commands.
struct AttachResultJSON: Codable, Sendable {
    var record: Record
    var files: [AttachedFile]
}
